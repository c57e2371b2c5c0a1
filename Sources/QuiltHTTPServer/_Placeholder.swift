// Placeholder until the module lands (issue #5).
