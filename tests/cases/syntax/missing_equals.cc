accelerator a {
  memory 64 GiB  # error[CC0001]@10
}

accelerator b {
  vendor = "still checked"
  dies = 1.5  # error[CC2007]@10
}
