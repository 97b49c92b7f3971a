accelerator a {
  memory = 64 GiB;  # error[CC0002]@18
}
