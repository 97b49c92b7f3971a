accelerator a {
  memory = 64 GiB
  memory = 96 GiB  # error[CC1010]@3
}
