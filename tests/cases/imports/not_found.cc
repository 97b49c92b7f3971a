import "no_such_file"  # error[CC1003]@8
