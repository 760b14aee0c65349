"""What installing a policy says to the operator (`zsyz init`, `zsyz policy apply`)."""

from __future__ import annotations

from zsyz.domain.policy import PolicyInstalled


def installed_text(done: PolicyInstalled) -> str:
    """One line: the policy, its first year, the units and targets added."""
    note = f"（其中示例单位 {done.examples} 个）" if done.examples else ""
    if done.examples_left:
        note += f"；政策中的示例单位 {done.examples_left} 个未载入（需要时加 --with-examples）"
    return (
        f"载入政策 {done.name}（{done.title}，{done.year} 年起），"
        f"新增单位 {done.units_added} 个，单位目标 {done.targets} 项{note}"
    )
