"""The guided proposal intake (DESIGN §5): one module per step, the order in `spec`."""
