"""Counts the kernels of a PTX module that contain each instruction."""
import re
import sys

text = open(sys.argv[1]).read()
kernels = re.split(r"\.visible \.entry ", text)[1:]


def count(*needles):
    return sum(all(n in k for n in needles) for k in kernels)


print("kernels", len(kernels))
print("wgmma.mma_async", count("wgmma.mma_async"))
if count("wgmma.mma_async"):
    print("wgmma.mma_async+cp.async", count("wgmma.mma_async", "cp.async"))
else:
    print("mma.sync+ldmatrix+cp.async",
          count("mma.sync", "ldmatrix", "cp.async"))
print("mma.sync", count("mma.sync"))
