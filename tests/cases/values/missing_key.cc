server s {  # error[CC2004]@8
  devices = 8
}
