model m from "_not_json.txt"  # error[CC2009]@14
