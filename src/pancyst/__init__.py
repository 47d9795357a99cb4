"""pancyst: pancreatic cystic lesion features, evidence and ACR 2017 risk categories from radiology reports."""

__version__ = "0.1.0"
