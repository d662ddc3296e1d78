# %% [markdown]
# # Ranking catalyst models with chepath, in a notebook
#
# A notebook-style script (cells marked `# %%`, as Jupyter, VS Code and jupytext read
# them): rank the bundled samples, show the table, draw the free-energy diagram inline.
# **The bundled samples are generated** (examples/make_samples.rs reproduces the numbers of
# Ji et al., Nano-Micro Lett. 15:110 (2023)); every output made from them says so.
#
# Run it as a script from the repository's root: `python examples/python/rank_samples.py`
# (needs `pip install . pandas`).

# %%
import os
import sys

import chepath

root = sys.argv[1] if len(sys.argv) > 1 else "sample_outputs/vasp"

# %% The ranking: one row per model, best first (a DataFrame when pandas is installed)
ranking = chepath.rank(root)
print(ranking)  # the NOTICE line says the data are generated

# %% The numbers behind it, as pandas
df = ranking.to_frame()
print(df[["limiting_potential", "pds", "pds_dG", "dband_center"]].round(3))

# %% The limiting step of the best model, from the pathway report (same JSON as the CLI)
report = chepath.pathway(root)
best_name = ranking.records[0]["model"]  # the ranking knows the direction (highest U_L first here)
best = next(m for m in report["models"] if m["name"] == best_name)
print(f"best: {best['name']}, U_L = {best['limiting_potential']:+.3f} V, "
      f"PDS {best['pds']['from']} -> {best['pds']['to']}")

# %% The free-energy diagram: inline in Jupyter (the cell's last value), a file otherwise
svg = chepath.diagram(root)
out = os.environ.get("CHEPATH_EXAMPLE_OUT")
if out:
    with open(os.path.join(out, "free_energy.svg"), "w") as f:
        f.write(svg)
svg
