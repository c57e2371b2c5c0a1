print("quilt-mcp")
