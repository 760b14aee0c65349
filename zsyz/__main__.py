from zsyz.cli.app import main

main()
