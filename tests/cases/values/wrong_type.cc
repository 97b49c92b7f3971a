accelerator a {
  vendor = 3  # error[CC2002]@12
  compute = 5  # error[CC2002]@3
}
