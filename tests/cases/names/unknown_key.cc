accelerator a {
  memroy = 64 GiB  # error[CC1006]@3
}
