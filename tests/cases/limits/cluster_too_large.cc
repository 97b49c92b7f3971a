import "std/nvidia"
cluster c {
  server = hgx_h200
  nodes = 1000000  # error[CC7005]@3
}
