from zsyz.cli.entry import main

main()
