accelerator pkg {
  dies = 2
}
server s {
  accelerator = pkg
  devices = 15  # error[CC2008]@3
}
