"""Reports by disposition: how many handled contacts carry each wrap-up code."""
