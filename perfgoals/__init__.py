"""perfgoals: 预算绩效目标表的填报、校验与导出。"""

__version__ = "0.1.0"
