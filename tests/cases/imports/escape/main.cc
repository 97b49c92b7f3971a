import "../../outside"  # error[CC7001]@8
model m from "../../../data/hf/qwen3_8b.json"  # error[CC7001]@14
