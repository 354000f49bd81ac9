"""The camat: the verified proposals of every village of the kecamatan."""
