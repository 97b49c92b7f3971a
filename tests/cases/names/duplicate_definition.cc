accelerator a { memory = 64 GiB }
accelerator a { memory = 96 GiB }  # error[CC1005]@13
