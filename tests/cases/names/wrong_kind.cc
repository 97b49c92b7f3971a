interconnect link { scope = scale_up }
server s {
  accelerator = link  # error[CC1002]@17
  devices = 8
}
