accelerator a  # error[CC0004]@1
