"""PyTorch models imported with torch.fx compute exactly what the original computes (batch 1
and 3), keep its parameter count, and what cannot be imported is named with its node."""

from __future__ import annotations

import urllib.error

import pytest
import torch
import torchvision

from workbench.core.importers import ModelImportError, import_model

TOL = 1e-4


def _same_outputs(imported: torch.nn.Module, original: torch.nn.Module, shape) -> None:
    original.eval()
    for batch in (1, 3):
        x = torch.randn(batch, *shape, generator=torch.Generator().manual_seed(batch))
        with torch.no_grad():
            diff = (imported(x) - original(x)).abs().max().item()
        assert diff < TOL, (batch, diff)


def test_resnet18_with_weights_from_the_torch_hub_cache(tmp_path, monkeypatch):
    """The weights come through torchvision's weights API from the cache (a file the test
    puts there: nothing is downloaded)."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    torch.manual_seed(5)
    original = torchvision.models.resnet18()
    url = torchvision.models.ResNet18_Weights.DEFAULT.url
    (tmp_path / "hub" / "checkpoints").mkdir(parents=True)
    torch.save(original.state_dict(), tmp_path / "hub" / "checkpoints" / url.rsplit("/", 1)[-1])
    result = import_model("torchvision:resnet18", weights="DEFAULT", progress=False)
    assert result.parameters == 11_689_512
    assert result.meta["class_names"][0] == "tench" and len(result.meta["class_names"]) == 1000
    names = {n.name for n in result.spec.nodes}
    assert {"layer1_0_conv1", "layer4_1_bn2", "fc"} <= names  # torchvision's own names
    assert result.spec.node("fc").kind == "ClassificationHead"
    _same_outputs(result.model, original, (3, 224, 224))
    # laid out readably: the stages side by side in columns of at most 18 rows, a block's
    # downsampling shortcut beside its first convolution
    pos = {n.name: n.pos for n in result.spec.nodes}
    assert max(y for _, y in pos.values()) <= 17 * 110
    assert pos["layer1_0_conv1"][0] < pos["layer2_0_conv1"][0] < pos["layer4_0_conv1"][0]
    assert pos["layer2_0_downsample_0"][1] == pos["layer2_0_conv1"][1]
    assert pos["layer2_0_downsample_0"][0] > pos["layer2_0_conv1"][0]


def test_offline_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    def offline(*a, **k):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", offline)
    with pytest.raises(ModelImportError, match="--random-init"):
        import_model("torchvision:resnet18")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["resnet34", "vgg11", "mobilenet_v2", "mobilenet_v3_small"])
def test_torchvision_models_import(name):
    result = import_model(f"torchvision:{name}", random_init=True, input_shape=(3, 64, 64))
    torch.manual_seed(0)  # the same random initialisation as the import made
    original = torchvision.models.get_model(name)
    assert result.parameters == sum(p.numel() for p in original.parameters())
    _same_outputs(result.model, original, (3, 64, 64))


def test_unknown_torchvision_name():
    with pytest.raises(ModelImportError, match="torchvision has no model 'resnet19'"):
        import_model("torchvision:resnet19", random_init=True)


MODULE_SOURCE = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    """Functions as well as modules: view-flatten, cat, a residual add, an SE gate."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 4, 3, padding=1)
        self.b = nn.Conv2d(1, 4, 5, padding=2, bias=False)
        self.bn = nn.BatchNorm2d(8, eps=1e-3)
        self.c = nn.Conv2d(8, 8, 3, padding=1)
        self.gate = nn.Conv2d(8, 8, 1)
        self.fc = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        y = torch.cat([F.relu(self.a(x)), self.b(x)], dim=1)
        y = self.bn(y)
        y = y + F.relu6(self.c(y))
        y = y * torch.sigmoid(self.gate(F.adaptive_avg_pool2d(y, 1)))
        y = F.max_pool2d(y, 2)
        y = F.avg_pool2d(y, 2, ceil_mode=True)
        return self.fc(y.view(y.size(0), -1))


class Sorts(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        return self.fc(torch.sort(x, dim=1)[0])


class EndsInSigmoid(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        return torch.sigmoid(self.fc(x))
'''


def _module_file(tmp_path):
    path = tmp_path / "net.py"
    path.write_text(MODULE_SOURCE)
    import importlib.util

    spec = importlib.util.spec_from_file_location("net_for_test", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return path, mod


def test_module_class_from_a_file(tmp_path):
    path, mod = _module_file(tmp_path)
    torch.manual_seed(0)
    original = mod.Net()
    with torch.no_grad():  # trained-looking statistics, so that they are carried over too
        original.bn.running_mean.uniform_(-1, 1)
        original.bn.running_var.uniform_(0.5, 2)
    weights = tmp_path / "w.pt"
    torch.save(original.state_dict(), weights)
    result = import_model(f"module:{path}:Net", weights=str(weights), input_shape=(1, 16, 16))
    kinds = [n.kind for n in result.spec.nodes]
    for kind in ("Concatenate", "Add", "Multiply", "Flatten", "ReLU6", "Sigmoid",
                 "AdaptiveAvgPool2d", "MaxPool2d", "AvgPool2d", "ClassificationHead"):
        assert kind in kinds
    assert result.spec.node("bn").params["eps"] == 1e-3
    _same_outputs(result.model, original, (1, 16, 16))


def test_unsupported_function_is_named_with_its_node(tmp_path):
    path, _ = _module_file(tmp_path)
    with pytest.raises(ModelImportError, match=r"node 'sort' \(sort\)"):
        import_model(f"module:{path}:Sorts", input_shape=(16,))
    with pytest.raises(ModelImportError, match="ends in Sigmoid"):
        import_model(f"module:{path}:EndsInSigmoid", input_shape=(16,))
    with pytest.raises(ModelImportError, match="input shape"):
        import_model(f"module:{path}:Net")
