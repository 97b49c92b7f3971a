accelerator ascend_910 { memory = 64 GiB }
server s {
  accelerator = ascend_91  # error[CC1001]@17
  devices = 8
}
