interconnect l {
  scope = scale_sideways  # error[CC2006]@11
}
accelerator a {
  compute {
    bf61 = 100 TFLOPS  # error[CC2006]@5
  }
}
