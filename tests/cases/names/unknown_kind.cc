acelerator a { memory = 64 GiB }  # error[CC1007]@1
