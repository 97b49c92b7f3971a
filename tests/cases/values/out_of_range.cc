accelerator a {
  memory = -64 GiB  # error[CC2005]@12
}
deployment d {  # error[CC2004]@12
  workload {
    acceptance = 120 %  # error[CC2005]@18
  }
}
