"""paimai (拍卖): an online auction platform."""

__version__ = "0.1.0"
