# DeepSeek-V3 on fourteen HGX H20 under SGLang: EP 16 over 112 devices leaves each routed
# expert split 7 ways (2,048 / 7 is no whole number of 128-wide FP8 blocks).
import "std/nvidia"
import "std/models/deepseek"
import "std/toolkits/sglang"
cluster h20 { server = hgx_h20  nodes = 14 }
deployment v3 { model = deepseek_v3  cluster = h20  toolkit = sglang
  parallel { tp = 1  dp = 112  ep = 16 } }  # error[CC3013]@32
