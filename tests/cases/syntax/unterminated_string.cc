accelerator a {
  vendor = "Huawei  # error[CC0003]@12
}
