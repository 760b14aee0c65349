"""zsyz: 招商引资目标责任台账 (investment-attraction target ledger)."""

__version__ = "0.1.0"
