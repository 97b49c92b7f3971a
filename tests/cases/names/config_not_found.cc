model m from "no/such/config.json"  # error[CC1009]@14
