print("glm-bench: not yet implemented")
