server s { allocation_groups = [[[[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]]] }  # error[CC7003]@47
