accelerator a {
  memory = 2 TB/s  # error[CC2001]@12
  memory_bw = 3  # error[CC2001]@15
}
