print("quilt-bench")
