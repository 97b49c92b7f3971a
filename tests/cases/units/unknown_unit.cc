accelerator a {
  memory = 64 GiBs  # error[CC2003]@15
}
