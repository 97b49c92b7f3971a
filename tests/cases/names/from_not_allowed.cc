accelerator a from "card.json"  # error[CC1011]@20
