"""Forms, one module per feature; labels are translated lazily."""
