print("vi-bench: not yet implemented")
