print("natgrad-bench: not yet implemented")
