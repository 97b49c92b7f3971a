import "_catalog"
server s {
  accelerator = card
  devices = 8
  allocation_groups = [[0, 1, 2, 3], [3, 4, 5, 9]]  # error[CC2012]@3
}
