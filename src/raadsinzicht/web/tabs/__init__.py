"""One module per tab of the web interface: its layout and its handlers."""
