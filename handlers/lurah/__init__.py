"""The lurah / kepala desa: the village at a glance and its proposals."""
