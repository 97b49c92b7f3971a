accelerator a extends b { memory = 64 GiB }
accelerator b extends a { memory = 96 GiB }  # error[CC1008]@23
