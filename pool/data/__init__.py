"""Reference data shipped with the package (municipalities, skill catalogue)."""
