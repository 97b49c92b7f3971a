import "main"  # error[CC1004]@8
