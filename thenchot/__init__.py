"""Then Chốt: performance and accountability of cadres, civil servants and public employees."""

__version__ = "0.1.0"
