print("expfam-bench: not yet implemented")
