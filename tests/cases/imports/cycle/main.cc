import "_other"
accelerator a { memory = 64 GiB }
