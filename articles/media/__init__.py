"""Pictures the site makes or reshapes: social cards and responsive image variants."""
