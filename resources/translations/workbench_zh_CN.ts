<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>about</name>
    <message>
      <extracomment>workbench/ui/about.py:31</extracomment>
      <source>Build, train, evaluate and export neural networks by point and click.</source>
      <translation>用鼠标点选即可搭建、训练、评估和导出神经网络。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:69</extracomment>
      <source>not built with CUDA</source>
      <translation>未使用 CUDA 构建</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:71</extracomment>
      <source> (no usable GPU)</source>
      <translation>（没有可用的 GPU）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:89</extracomment>
      <source>About Workbench</source>
      <translation>关于 Workbench</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:114</extracomment>
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:115</extracomment>
      <source>Copy these versions, e.g. for a bug report</source>
      <translation>复制这些版本信息，例如用于报告问题</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:124</extracomment>
      <source>Copied</source>
      <translation>已复制</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:47</extracomment>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:48</extracomment>
      <source>Training device</source>
      <translation>训练设备</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:50</extracomment>
      <source>System</source>
      <translation>系统</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:68</extracomment>
      <source>unknown ({})</source>
      <translation>未知（{}）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/about.py:47</extracomment>
      <source> (desktop build)</source>
      <translation>（桌面版）</translation>
    </message>
  </context>
  <context>
    <name>actions</name>
    <message>
      <extracomment>workbench/ui/actions.py:42</extracomment>
      <source>&amp;New</source>
      <translation>新建(&amp;N)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:42</extracomment>
      <source>Start an empty model</source>
      <translation>新建一个空模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:44</extracomment>
      <source>New from &amp;Template…</source>
      <translation>从模板新建(&amp;T)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:46</extracomment>
      <source>Start a new model from a ready-made template</source>
      <translation>从现成的模板新建模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:47</extracomment>
      <source>&amp;Open…</source>
      <translation>打开(&amp;O)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:47</extracomment>
      <source>Open a model file</source>
      <translation>打开模型文件</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:49</extracomment>
      <source>&amp;Import…</source>
      <translation>导入(&amp;I)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:50</extracomment>
      <source>Import an ONNX file or a torchvision model with its weights</source>
      <translation>导入 ONNX 文件或 torchvision 模型及其权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:51</extracomment>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:51</extracomment>
      <source>Save the model</source>
      <translation>保存模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:52</extracomment>
      <source>Save &amp;As…</source>
      <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:52</extracomment>
      <source>Save under a new name</source>
      <translation>以新名称保存</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:53</extracomment>
      <source>&amp;Export…</source>
      <translation>导出(&amp;E)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:54</extracomment>
      <source>Export the model: ONNX, torch.export, TorchScript, a Workbench bundle or a PyTorch project</source>
      <translation>导出模型：ONNX、torch.export、TorchScript、Workbench 模型包或 PyTorch 项目</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:56</extracomment>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:56</extracomment>
      <source>Quit Workbench</source>
      <translation>退出 Workbench</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:57</extracomment>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:60</extracomment>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:64</extracomment>
      <source>Cu&amp;t</source>
      <translation>剪切(&amp;T)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:64</extracomment>
      <source>Cut the selected layers</source>
      <translation>剪切选中的层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:65</extracomment>
      <source>&amp;Copy</source>
      <translation>复制(&amp;C)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:65</extracomment>
      <source>Copy the selected layers</source>
      <translation>复制选中的层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:66</extracomment>
      <source>&amp;Paste</source>
      <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:66</extracomment>
      <source>Paste layers</source>
      <translation>粘贴层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:67</extracomment>
      <source>&amp;Delete</source>
      <translation>删除(&amp;D)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:68</extracomment>
      <source>Delete the selected layers and connections</source>
      <translation>删除选中的层和连接</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:69</extracomment>
      <source>Select &amp;All</source>
      <translation>全选(&amp;A)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:70</extracomment>
      <source>Model &amp;Properties…</source>
      <translation>模型属性(&amp;P)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:72</extracomment>
      <source>The model's name and description (runs, exports, code)</source>
      <translation>模型的名称和描述（用于训练记录、导出和代码）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:73</extracomment>
      <source>Auto-&amp;layout</source>
      <translation>自动布局(&amp;L)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:74</extracomment>
      <source>Arrange the layers top to bottom</source>
      <translation>将各层从上到下排列</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:75</extracomment>
      <source>&amp;Freeze / Unfreeze</source>
      <translation>冻结/解冻(&amp;F)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:77</extracomment>
      <source>Fine-tuning: the selected layers' weights do not train (or train again)</source>
      <translation>微调：所选层的权重不参与训练（或重新参与训练）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:79</extracomment>
      <source>Freeze All but the &amp;Head</source>
      <translation>冻结除输出头外的所有层(&amp;H)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:82</extracomment>
      <source>U&amp;nfreeze All</source>
      <translation>全部解冻(&amp;N)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:84</extracomment>
      <source>Detach Start &amp;Weights</source>
      <translation>分离初始权重(&amp;W)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:88</extracomment>
      <source>Zoom &amp;In</source>
      <translation>放大(&amp;I)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:90</extracomment>
      <source>Zoom &amp;Out</source>
      <translation>缩小(&amp;O)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:91</extracomment>
      <source>&amp;Fit to Window</source>
      <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:92</extracomment>
      <source>Show the whole model</source>
      <translation>显示整个模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:93</extracomment>
      <source>&amp;Actual Size</source>
      <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:129</extracomment>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:132</extracomment>
      <source>Open &amp;Recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:141</extracomment>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:153</extracomment>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:164</extracomment>
      <source>Main</source>
      <translation>主工具栏</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:173</extracomment>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:175</extracomment>
      <source>Redo</source>
      <translation>重做</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:81</extracomment>
      <source>Freeze every layer with weights except the last one</source>
      <translation>冻结除最后一层外所有带权重的层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:83</extracomment>
      <source>Every layer trains again</source>
      <translation>所有层重新参与训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:85</extracomment>
      <source>Train this model from fresh weights, not from the run or bundle it was fine-tuned from</source>
      <translation>从全新的权重训练此模型，而不是从它微调所用的运行或模型包开始</translation>
    </message>
    <message>
      <extracomment>workbench/ui/actions.py:189</extracomment>
      <source>Start weights detached: training starts from fresh weights</source>
      <translation>已分离初始权重：训练将从全新的权重开始</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <extracomment>workbench/ui/app.py:99</extracomment>
      <source>The training tabs could not be loaded (see the log)</source>
      <translation>无法加载训练标签页（详见日志）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/app.py:179</extracomment>
      <source>Cannot open the model</source>
      <translation>无法打开模型</translation>
    </message>
  </context>
  <context>
    <name>canvas.items</name>
    <message>
      <extracomment>workbench/ui/canvas/items.py:137</extracomment>
      <source>Output: drag to another layer's input to connect</source>
      <translation>输出：拖到另一层的输入上即可连接</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/items.py:171</extracomment>
      <source>Frozen: its weights do not train (toggle in the inspector)</source>
      <translation>已冻结：其权重不参与训练（在检查器中切换）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/items.py:132</extracomment>
      <source>: drag from another layer's output to here</source>
      <translation>：从另一层的输出拖到这里</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/items.py:154</extracomment>
      <source>{} params</source>
      <translation>{} 参数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/items.py:168</extracomment>
      <source>Output: {} · {} parameters</source>
      <translation>输出：{} · {} 个参数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/items.py:131</extracomment>
      <source> (optional)</source>
      <translation>（可选）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/items.py:130</extracomment>
      <source>Input '{}'</source>
      <translation>输入“{}”</translation>
    </message>
  </context>
  <context>
    <name>canvas.part_switch</name>
    <message>
      <extracomment>workbench/ui/canvas/part_switch.py:17</extracomment>
      <source>Edit the generator on the canvas (Undo goes back through the edits of both graphs, showing each where it was made)</source>
      <translation>在画布上编辑生成器（撤销会依次回退两个图的编辑，并显示每次编辑所在的图）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/part_switch.py:19</extracomment>
      <source>Edit the discriminator on the canvas (Undo goes back through the edits of both graphs, showing each where it was made)</source>
      <translation>在画布上编辑判别器（撤销会依次回退两个图的编辑，并显示每次编辑所在的图）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/part_switch.py:15</extracomment>
      <source>Generator</source>
      <translation>生成器</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/part_switch.py:15</extracomment>
      <source>Discriminator</source>
      <translation>判别器</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/part_switch.py:30</extracomment>
      <source>GAN graph:</source>
      <translation>GAN 网络：</translation>
    </message>
    <message>
      <source>Edit the generator on the canvas (its own undo history starts afresh)</source>
      <translation type="vanished">在画布上编辑生成器（它的撤销历史重新开始）</translation>
    </message>
    <message>
      <source>Edit the discriminator on the canvas (its own undo history starts afresh)</source>
      <translation type="vanished">在画布上编辑判别器（它的撤销历史重新开始）</translation>
    </message>
  </context>
  <context>
    <name>canvas.view</name>
    <message>
      <extracomment>workbench/ui/canvas/view.py:43</extracomment>
      <source>This model is empty.
Drag a layer here from the palette, or double-click one to add it (start with an input layer).</source>
      <translation>这个模型是空的。
从层库拖一个层到这里，或双击层库中的层来添加（先从输入层开始）。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/view.py:153</extracomment>
      <source>The model is taller than the window: Fit to Window (Ctrl+0) shows all of it, Shift+wheel scrolls</source>
      <translation>模型比窗口高：“适应窗口”（Ctrl+0）可显示全部，Shift+滚轮可滚动</translation>
    </message>
    <message>
      <extracomment>workbench/ui/canvas/view.py:159</extracomment>
      <source>Zoomed to {} to show all {} layers: wheel over a layer to zoom in and read it</source>
      <translation>已缩放到 {} 以显示全部 {} 个层：在层上滚动滚轮可放大查看</translation>
    </message>
  </context>
  <context>
    <name>commands</name>
    <message>
      <extracomment>workbench/ui/commands.py:183</extracomment>
      <source>Auto-layout</source>
      <translation>自动布局</translation>
    </message>
  </context>
  <context>
    <name>compress.window</name>
    <message>
      <extracomment>workbench/ui/compress/window.py:46</extracomment>
      <source>model</source>
      <translation>模型版本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:46</extracomment>
      <source>params</source>
      <translation>参数量</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:47</extracomment>
      <source>size</source>
      <translation>大小</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:47</extracomment>
      <source>smaller</source>
      <translation>缩小倍数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:48</extracomment>
      <source>test acc</source>
      <translation>测试集准确率</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:48</extracomment>
      <source>change</source>
      <translation>变化</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:49</extracomment>
      <source>ms torch</source>
      <translation>PyTorch 毫秒</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:49</extracomment>
      <source>ms onnx</source>
      <translation>ONNX 毫秒</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:44</extracomment>
      <source>Pruning</source>
      <translation>权重剪枝</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:44</extracomment>
      <source>int8 quantization</source>
      <translation>int8 量化</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:45</extracomment>
      <source>Knowledge distillation</source>
      <translation>知识蒸馏</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:61</extracomment>
      <source>Compress — Workbench</source>
      <translation>压缩 — Workbench</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:67</extracomment>
      <source>Select a trained run in the Runs tab and choose Compress…</source>
      <translation>在“训练记录”标签页中选择一次已完成的训练，然后选择“压缩…”</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:73</extracomment>
      <source>Share of the weights (or channels) removed</source>
      <translation>移除的权重（或通道）比例</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:74</extracomment>
      <source>Remove whole channels and neurons (a narrower model)</source>
      <translation>移除整个通道和神经元（得到更窄的模型）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:75</extracomment>
      <source>Fine-tune epochs afterwards (0: none)</source>
      <translation>之后微调的轮数（0：不微调）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:76</extracomment>
      <source>Reach the amount in this many prune + fine-tune steps</source>
      <translation>分这么多次“剪枝 + 微调”达到目标比例</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:81</extracomment>
      <source>half the teacher's width (or a template / spec file)</source>
      <translation>教师模型宽度的一半（或一个模板 / 模型描述文件）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:82</extracomment>
      <source>Width of the generated student</source>
      <translation>生成的学生模型的宽度</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:83</extracomment>
      <source>Student epochs (0: the teacher's)</source>
      <translation>学生模型的训练轮数（0：与教师模型相同）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:84</extracomment>
      <source>Softening temperature of the KD loss</source>
      <translation>知识蒸馏损失的软化温度</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:85</extracomment>
      <source>Weight of the teacher's term</source>
      <translation>教师模型项的权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:86</extracomment>
      <source>Also train the same student without the teacher</source>
      <translation>同时在没有教师模型的情况下训练同样的学生模型（作对照）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:89</extracomment>
      <source>Method</source>
      <translation>方法</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:105</extracomment>
      <source>Compress</source>
      <translation>压缩</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:107</extracomment>
      <source>Export row…</source>
      <translation>导出所选行…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:199</extracomment>
      <source>Starting…</source>
      <translation>正在开始…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:255</extracomment>
      <source>ONNX model (*.onnx)</source>
      <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:256</extracomment>
      <source>ONNX model (*.onnx);;Workbench bundle (*.wbbundle)</source>
      <translation>ONNX 模型 (*.onnx);;Workbench 模型包 (*.wbbundle)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:257</extracomment>
      <source>Export the compressed model</source>
      <translation>导出压缩后的模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:78</extracomment>
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:92</extracomment>
      <source>Amount</source>
      <translation>剪枝比例</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:93</extracomment>
      <source>Fine-tune epochs</source>
      <translation>微调轮数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:94</extracomment>
      <source>Rounds</source>
      <translation>轮次</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:95</extracomment>
      <source>Also half weights</source>
      <translation>同时使用半精度权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:96</extracomment>
      <source>Student</source>
      <translation>学生模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:97</extracomment>
      <source>Student width</source>
      <translation>学生模型宽度</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:98</extracomment>
      <source>Epochs</source>
      <translation>训练轮数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:99</extracomment>
      <source>Temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:100</extracomment>
      <source>Alpha</source>
      <translation>α（教师项权重）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:242</extracomment>
      <source>Latency: milliseconds per sample on the CPU (median).</source>
      <translation>延迟：在 CPU 上每个样本的毫秒数（中位数）。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:267</extracomment>
      <source>PyTorch's dynamic int8 model is rebuilt from the float weights when needed; export the onnxruntime int8 row instead.</source>
      <translation>PyTorch 的动态 int8 模型在需要时由浮点权重重建；请改为导出 onnxruntime int8 那一行。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:207</extracomment>
      <source>Done: {} compressed model(s), each a new run in the Runs tab.</source>
      <translation>完成：{} 个压缩模型，每个都是“训练记录”标签页中的一次新训练。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:209</extracomment>
      <source>Compressed {}: {} new run(s)</source>
      <translation>已压缩 {}：新增 {} 次训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:214</extracomment>
      <source>Could not compress: {}</source>
      <translation>无法压缩：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:285</extracomment>
      <source>Exported {} to {}</source>
      <translation>已将 {} 导出到 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:286</extracomment>
      <source>Exported to {}</source>
      <translation>已导出到 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:313</extracomment>
      <source>training: epoch {}, step {}, loss {:.4f}</source>
      <translation>训练中：第 {} 轮，第 {} 步，损失 {:.4f}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:234</extracomment>
      <source>{}: top-1 agreement with the float model {:.1f} % on {} test samples, largest output difference {:.4f}</source>
      <translation>{0}：在 {2} 个测试样本上与浮点模型的 top-1 一致率为 {1:.1f} %，最大输出差异 {3:.4f}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:239</extracomment>
      <source>{}: last task loss {:.4f}, KD loss {:.4f}</source>
      <translation>{}：最后的任务损失 {:.4f}，知识蒸馏损失 {:.4f}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/compress/window.py:283</extracomment>
      <source>Could not export: {}</source>
      <translation>无法导出：{}</translation>
    </message>
  </context>
  <context>
    <name>data.fit</name>
    <message>
      <extracomment>workbench/ui/data/fit.py:23</extracomment>
      <source>Fit with the model</source>
      <translation>与模型是否匹配</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/fit.py:38</extracomment>
      <source>✓ The data fit the model's input and output.</source>
      <translation>✓ 数据与模型的输入和输出相符。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/fit.py:35</extracomment>
      <source>Load the data to check it against the model.</source>
      <translation>加载数据后即可检查它与模型是否匹配。</translation>
    </message>
  </context>
  <context>
    <name>data.panel</name>
    <message>
      <extracomment>workbench/ui/data/panel.py:41</extracomment>
      <source>CSV files (*.csv *.tsv);;All files (*)</source>
      <translation>CSV 文件 (*.csv *.tsv);;所有文件 (*)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:43</extracomment>
      <source>Text files (*.txt *.md);;All files (*)</source>
      <translation>文本文件 (*.txt *.md);;所有文件 (*)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:84</extracomment>
      <source>Choose a folder or file…</source>
      <translation>选择文件夹或文件…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:86</extracomment>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:94</extracomment>
      <source>Share of the data held out to validate each epoch</source>
      <translation>每轮用于验证而留出的数据比例</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:95</extracomment>
      <source>Share of the data held out for the final test</source>
      <translation>留作最终测试的数据比例</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:96</extracomment>
      <source>Load</source>
      <translation>加载</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:98</extracomment>
      <source>Download</source>
      <translation>下载</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:99</extracomment>
      <source>Download the data set (needs the internet), then load it</source>
      <translation>下载数据集（需要联网），然后加载</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:111</extracomment>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:113</extracomment>
      <source>Data set</source>
      <translation>数据集</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:115</extracomment>
      <source>Path</source>
      <translation>路径</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:117</extracomment>
      <source>Validation</source>
      <translation>验证</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:118</extracomment>
      <source>Test</source>
      <translation>测试</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:220</extracomment>
      <source>Choose a file</source>
      <translation>选择文件</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:223</extracomment>
      <source>Choose a folder</source>
      <translation>选择文件夹</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:235</extracomment>
      <source>Choose a path first.</source>
      <translation>请先选择路径。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:251</extracomment>
      <source>Downloading…</source>
      <translation>正在下载…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:251</extracomment>
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:292</extracomment>
      <source>Could not load the data: {}</source>
      <translation>无法加载数据：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:307</extracomment>
      <source>Loaded {}.</source>
      <translation>已加载 {}。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/panel.py:349</extracomment>
      <source>Could not apply the fix: {}</source>
      <translation>无法应用修复：{}</translation>
    </message>
  </context>
  <context>
    <name>data.preview</name>
    <message>
      <extracomment>workbench/ui/data/preview.py:32</extracomment>
      <source>image</source>
      <translation>图像</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:32</extracomment>
      <source>features</source>
      <translation>特征</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:32</extracomment>
      <source>tokens</source>
      <translation>词元</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:32</extracomment>
      <source>sequence</source>
      <translation>序列</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:33</extracomment>
      <source>text</source>
      <translation>文本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:33</extracomment>
      <source>classification</source>
      <translation>分类</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:33</extracomment>
      <source>regression</source>
      <translation>回归</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:34</extracomment>
      <source>next token</source>
      <translation>下一个词元预测</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:41</extracomment>
      <source>Data set</source>
      <translation>数据集</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:42</extracomment>
      <source>Not loaded</source>
      <translation>未加载</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/data/preview.py:58</extracomment>
      <source>%n token(s)</source>
      <translation>
        <numerusform>%n 个词元</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:46</extracomment>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:46</extracomment>
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:46</extracomment>
      <source>Val</source>
      <translation>验证</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:46</extracomment>
      <source>Test</source>
      <translation>测试</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/data/preview.py:59</extracomment>
      <source>%n class(es)</source>
      <translation>
        <numerusform>%n 个类别</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/data/preview.py:60</extracomment>
      <source>%n output(s)</source>
      <translation>
        <numerusform>%n 个输出</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/data/preview.py:70</extracomment>
      <source>%n unreadable sample(s) skipped</source>
      <translation>
        <numerusform>跳过了 %n 个无法读取的样本</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:62</extracomment>
      <source>&lt;b&gt;{}&lt;/b&gt;: {}, samples of {}</source>
      <translation>&lt;b&gt;{}&lt;/b&gt;：{}，样本形状 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:65</extracomment>
      <source>train {} · validation {} · test {}</source>
      <translation>训练集 {} · 验证集 {} · 测试集 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:93</extracomment>
      <source>First {} training samples</source>
      <translation>前 {} 个训练样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/data/preview.py:107</extracomment>
      <source>training sample {}: {}</source>
      <translation>训练样本 {}：{}</translation>
    </message>
  </context>
  <context>
    <name>Desktop</name>
    <message>
      <extracomment>workbench/ui/desktop.py:193</extracomment>
      <source>Layout and settings reset</source>
      <translation>布局和设置已重置</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:44</extracomment>
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:49</extracomment>
      <source>&amp;Reset Layout and Settings…</source>
      <translation>重置布局和设置(&amp;R)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:51</extracomment>
      <source>Put the window back as it was first built and forget recent files, device and language</source>
      <translation>将窗口恢复到初始布局，并清除最近文件、设备和语言设置</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:54</extracomment>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:56</extracomment>
      <source>&amp;System Check…</source>
      <translation>系统检查(&amp;S)…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:57</extracomment>
      <source>Check the display libraries, the GPU and fonts</source>
      <translation>检查显示库、GPU 和字体</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:59</extracomment>
      <source>&amp;About Workbench</source>
      <translation>关于 Workbench(&amp;A)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:60</extracomment>
      <source>Versions of Workbench, PyTorch and Qt, and the device</source>
      <translation>Workbench、PyTorch 和 Qt 的版本，以及训练设备</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:62</extracomment>
      <source>About &amp;Qt</source>
      <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:184</extracomment>
      <source>Reset layout and settings?</source>
      <translation>重置布局和设置？</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:185</extracomment>
      <source>Put the window back as it was first built and forget the recent files, the training device and the language? Your models, runs and exports are kept.</source>
      <translation>将窗口恢复到初始布局，并清除最近文件、训练设备和语言设置？你的模型、训练记录和导出文件都会保留。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:99</extracomment>
      <source>System Default</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <extracomment>workbench/ui/desktop.py:148</extracomment>
      <source>Language: {}</source>
      <translation>语言：{}</translation>
    </message>
  </context>
  <context>
    <name>dialogs.import_dialog</name>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:134</extracomment>
      <source>Import</source>
      <translation>导入</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:38</extracomment>
      <source>Import a model</source>
      <translation>导入模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:43</extracomment>
      <source>An .onnx file, torchvision:NAME or module:FILE.py:ClassName</source>
      <translation>ONNX 文件、torchvision:NAME 或 module:FILE.py:ClassName</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:44</extracomment>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:46</extracomment>
      <source>Pretrained weights (downloaded once into torch's cache)</source>
      <translation>预训练权重（只下载一次，存入 PyTorch 的缓存）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:49</extracomment>
      <source>as the model says, e.g. 3,224,224</source>
      <translation>按模型自身的规定，例如 3,224,224</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:54</extracomment>
      <source>Model:</source>
      <translation>模型：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:56</extracomment>
      <source>Input shape:</source>
      <translation>输入形状：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:57</extracomment>
      <source>Save the bundle as:</source>
      <translation>模型包保存为：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:58</extracomment>
      <source>ONNX files carry their weights; torchvision models are traced with torch.fx. Every import is checked against the original.</source>
      <translation>ONNX 文件自带权重；torchvision 模型用 torch.fx 追踪。每次导入都会与原模型核对。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:75</extracomment>
      <source>Import an ONNX model</source>
      <translation>导入 ONNX 模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:76</extracomment>
      <source>ONNX model (*.onnx);;All files (*)</source>
      <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:81</extracomment>
      <source>Save the imported model</source>
      <translation>保存导入的模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:83</extracomment>
      <source>Workbench bundle (*.wbbundle)</source>
      <translation>Workbench 模型包 (*.wbbundle)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:153</extracomment>
      <source>Cannot import the model</source>
      <translation>无法导入模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:132</extracomment>
      <source>Importing {}…
(tracing, checking against the original)</source>
      <translation>正在导入 {}…
（正在追踪，并与原模型核对）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:125</extracomment>
      <source>Importing {}…</source>
      <translation>正在导入 {}…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:128</extracomment>
      <source>Writing {}…</source>
      <translation>正在写入 {}…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/import_dialog.py:148</extracomment>
      <source>Imported {}: {} layers, {:,} parameters, saved as {}</source>
      <translation>已导入 {}：{} 层，{:,} 个参数，已保存为 {}</translation>
    </message>
  </context>
  <context>
    <name>dialogs.prompts</name>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:30</extracomment>
      <source>Workbench models and bundles (*.json *.wbbundle);;Workbench models (*.json);;Workbench bundles (*.wbbundle);;All files (*)</source>
      <translation>Workbench 模型和模型包 (*.json *.wbbundle);;Workbench 模型 (*.json);;Workbench 模型包 (*.wbbundle);;所有文件 (*)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:32</extracomment>
      <source>Workbench models (*.json);;All files (*)</source>
      <translation>Workbench 模型 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:44</extracomment>
      <source>Unsaved changes</source>
      <translation>未保存的更改</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:46</extracomment>
      <source>Your changes are lost if you don't save them.</source>
      <translation>如果不保存，你的更改将会丢失。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:59</extracomment>
      <source>Restore unsaved work?</source>
      <translation>恢复未保存的工作？</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:67</extracomment>
      <source>Open model</source>
      <translation>打开模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:71</extracomment>
      <source>Save model as</source>
      <translation>模型另存为</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:81</extracomment>
      <source>Folder (*)</source>
      <translation>文件夹 (*)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:90</extracomment>
      <source>Replace the file?</source>
      <translation>替换该文件？</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:120</extracomment>
      <source>New model from template</source>
      <translation>从模板新建模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:137</extracomment>
      <source>Start from a ready-made model:</source>
      <translation>从现成的模型开始：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:45</extracomment>
      <source>Save the changes to {}?</source>
      <translation>保存对 {} 的更改？</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:60</extracomment>
      <source>Workbench found unsaved changes to {} from {} (the app closed before they were saved).

Restore them?</source>
      <translation>Workbench 发现了 {} 在 {} 的未保存更改（程序在保存前关闭了）。

要恢复它们吗？</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:82</extracomment>
      <source>Export as {}</source>
      <translation>导出为 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/prompts.py:91</extracomment>
      <source>{} already exists in {}.

Replace it?</source>
      <translation>{} 已存在于 {} 中。

要替换它吗？</translation>
    </message>
  </context>
  <context>
    <name>dialogs.properties</name>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:25</extracomment>
      <source>Model properties</source>
      <translation>模型属性</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:28</extracomment>
      <source>e.g. Digits CNN</source>
      <translation>例如：手写数字 CNN</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:29</extracomment>
      <source>Shown in the Runs table; names exported files and the model class</source>
      <translation>显示在训练记录表中；用于命名导出的文件和模型类</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:31</extracomment>
      <source>What the model is for, what it expects…</source>
      <translation>模型的用途、它需要什么输入…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:32</extracomment>
      <source>Kept in the model file and the exported code's docstring</source>
      <translation>保存在模型文件和导出代码的文档字符串中</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:36</extracomment>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:37</extracomment>
      <source>Description</source>
      <translation>描述</translation>
    </message>
    <message>
      <extracomment>workbench/ui/dialogs/properties.py:51</extracomment>
      <source>The model needs a name.</source>
      <translation>模型需要一个名称。</translation>
    </message>
  </context>
  <context>
    <name>document</name>
    <message>
      <extracomment>workbench/ui/document.py:142</extracomment>
      <source>Untitled</source>
      <translation>未命名</translation>
    </message>
  </context>
  <context>
    <name>evaluation.confusion</name>
    <message>
      <extracomment>workbench/ui/evaluation/confusion.py:96</extracomment>
      <source>predicted class</source>
      <translation>预测类别</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/confusion.py:97</extracomment>
      <source>true class</source>
      <translation>真实类别</translation>
    </message>
  </context>
  <context>
    <name>evaluation.gallery</name>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:31</extracomment>
      <source>Samples</source>
      <translation>样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:37</extracomment>
      <source>Worst-predicted test samples</source>
      <translation>预测最差的测试样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:42</extracomment>
      <source>Show worst</source>
      <translation>显示最差样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:135</extracomment>
      <source>True {}, predicted {}: {} correct sample(s) shown</source>
      <translation>真实 {}，预测 {}：显示 {} 个正确样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:136</extracomment>
      <source>True {}, predicted {}: {} mistaken sample(s) shown</source>
      <translation>真实 {}，预测 {}：显示 {} 个错误样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:133</extracomment>
      <source>{} of {}</source>
      <translation>{} / 共 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:138</extracomment>
      <source> (only the worst are kept)</source>
      <translation>（只保留了最差的样本）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:125</extracomment>
      <source>Largest-error test samples ({})</source>
      <translation>误差最大的测试样本（{}）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:126</extracomment>
      <source>Worst-predicted test samples ({})</source>
      <translation>预测最差的测试样本（{}）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:157</extracomment>
      <source>test sample {}: true {}, predicted {}</source>
      <translation>测试样本 {}：真实 {}，预测 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/gallery.py:159</extracomment>
      <source>, loss {}</source>
      <translation>，损失 {}</translation>
    </message>
  </context>
  <context>
    <name>evaluation.panel</name>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:41</extracomment>
      <source>No evaluation yet: train a model and it is tested here.</source>
      <translation>尚无评估结果：训练模型后会在这里进行测试。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:73</extracomment>
      <source>Test the best checkpoint</source>
      <translation>测试最佳检查点</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:74</extracomment>
      <source>Evaluate the run's best weights on its test split now</source>
      <translation>现在用测试集评估该次训练的最佳权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:80</extracomment>
      <source>Confusion matrix (rows: true class, columns: predicted)</source>
      <translation>混淆矩阵（行：真实类别，列：预测类别）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:85</extracomment>
      <source>Per class</source>
      <translation>各类别指标</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:92</extracomment>
      <source>Explain this sample…</source>
      <translation>解释这个样本…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:261</extracomment>
      <source>Testing the best checkpoint on the test split…</source>
      <translation>正在用测试集测试最佳检查点…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:169</extracomment>
      <source>Loading the test samples…</source>
      <translation>正在加载测试样本…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:196</extracomment>
      <source>Type some text…</source>
      <translation>输入一些文本…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:197</extracomment>
      <source>Numbers, comma separated…</source>
      <translation>数字，以逗号分隔…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:275</extracomment>
      <source>The run could not be evaluated: {}</source>
      <translation>无法评估该次训练：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/panel.py:189</extracomment>
      <source>The test samples cannot be shown: {}</source>
      <translation>无法显示测试样本：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:39</extracomment>
      <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;All files (*)</source>
      <translation>图像 (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff);;所有文件 (*)</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:55</extracomment>
      <source>Try it</source>
      <translation>试一试</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:59</extracomment>
      <source>Open image…</source>
      <translation>打开图像…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:62</extracomment>
      <source>Type text (or numbers, comma separated)…</source>
      <translation>输入文本（或以逗号分隔的数字）…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:64</extracomment>
      <source>Predict</source>
      <translation>预测</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:73</extracomment>
      <source>Explain…</source>
      <translation>解释…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:74</extracomment>
      <source>Why this prediction? Saliency, Grad-CAM, LIME, SHAP and more, and a look inside the layers</source>
      <translation>为什么会这样预测？显著图、Grad-CAM、LIME、SHAP 等方法，以及查看各层内部</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:77</extracomment>
      <source>Generate text…</source>
      <translation>生成文本…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:78</extracomment>
      <source>Let the model write: a prompt, then token after token (temperature, top-k, top-p, seed)</source>
      <translation>让模型来写：给出提示词，然后逐个词元生成（温度、top-k、top-p、随机种子）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:161</extracomment>
      <source>Open an image</source>
      <translation>打开图像</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:109</extracomment>
      <source>Available once a run has a trained model.</source>
      <translation>有训练好的模型后即可使用。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:226</extracomment>
      <source>Try an image or a text first, or double-click a sample.</source>
      <translation>请先试一张图像或一段文本，或双击一个样本。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:130</extracomment>
      <source>Try it uses {}.</source>
      <translation>“试一试”使用 {}。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:194</extracomment>
      <source>Prediction: </source>
      <translation>预测：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:127</extracomment>
      <source>{}: no test results recorded.</source>
      <translation>{}：没有记录测试结果。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:155</extracomment>
      <source>Cannot load the trained model: {}</source>
      <translation>无法加载训练好的模型：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:188</extracomment>
      <source>Cannot predict: {}</source>
      <translation>无法预测：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/try_part.py:236</extracomment>
      <source>Cannot explain: {}</source>
      <translation>无法解释：{}</translation>
    </message>
  </context>
  <context>
    <name>evaluation.per_class</name>
    <message>
      <extracomment>workbench/ui/evaluation/per_class.py:31</extracomment>
      <source>Class</source>
      <translation>类别</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/per_class.py:31</extracomment>
      <source>Precision</source>
      <translation>精确率</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/per_class.py:31</extracomment>
      <source>Recall</source>
      <translation>召回率</translation>
    </message>
    <message>
      <extracomment>workbench/ui/evaluation/per_class.py:31</extracomment>
      <source>Support</source>
      <translation>样本数</translation>
    </message>
  </context>
  <context>
    <name>evaluation.try_it</name>
    <message>
      <extracomment>workbench/ui/evaluation/try_it.py:19</extracomment>
      <source>Drop an image here
or click Open image…</source>
      <translation>把图像拖到这里
或点击“打开图像…”</translation>
    </message>
  </context>
  <context>
    <name>explain.inside</name>
    <message>
      <extracomment>workbench/ui/explain/inside.py:51</extracomment>
      <source>Layer</source>
      <translation>层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/inside.py:52</extracomment>
      <source>Attention</source>
      <translation>注意力</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/inside.py:53</extracomment>
      <source>Open a trained model and an input, then pick a layer here or on the canvas.</source>
      <translation>打开一个训练好的模型和一个输入，然后在这里或画布上选择一个层。</translation>
    </message>
  </context>
  <context>
    <name>explain.view</name>
    <message>
      <extracomment>workbench/ui/explain/view.py:73</extracomment>
      <source>Grad-CAM's convolution layer; selecting a layer on the canvas picks it here</source>
      <translation>Grad-CAM 使用的卷积层；在画布上选中一个层也会在这里选中它</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:75</extracomment>
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:78</extracomment>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:84</extracomment>
      <source>Save PNG…</source>
      <translation>保存 PNG…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:86</extracomment>
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:90</extracomment>
      <source>Method</source>
      <translation>方法</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:91</extracomment>
      <source>Target</source>
      <translation>目标</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:92</extracomment>
      <source>Layer</source>
      <translation>层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:116</extracomment>
      <source>Choose a method and press Run.</source>
      <translation>选择一种方法，然后点击“运行”。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:219</extracomment>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:245</extracomment>
      <source>Cancelled.</source>
      <translation>已取消。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:315</extracomment>
      <source>Save the explanation</source>
      <translation>保存解释结果</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/view.py:316</extracomment>
      <source>PNG images (*.png)</source>
      <translation>PNG 图像 (*.png)</translation>
    </message>
  </context>
  <context>
    <name>explain.window</name>
    <message>
      <extracomment>workbench/ui/explain/window.py:32</extracomment>
      <source>Explain — Workbench</source>
      <translation>解释 — Workbench</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/window.py:40</extracomment>
      <source>Explain</source>
      <translation>解释</translation>
    </message>
    <message>
      <extracomment>workbench/ui/explain/window.py:41</extracomment>
      <source>Look inside</source>
      <translation>查看内部</translation>
    </message>
  </context>
  <context>
    <name>export</name>
    <message>
      <extracomment>workbench/ui/export/__init__.py:25</extracomment>
      <source>Nothing to export</source>
      <translation>没有可导出的内容</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/__init__.py:25</extracomment>
      <source>Open or build a model first.</source>
      <translation>请先打开或搭建一个模型。</translation>
    </message>
  </context>
  <context>
    <name>export.bundle_open</name>
    <message>
      <extracomment>workbench/ui/export/bundle_open.py:38</extracomment>
      <source>Opened {}: its model is on the canvas with its weights attached (training fine-tunes them)</source>
      <translation>已打开 {}：它的模型已连同权重放到画布上（训练会微调这些权重）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/bundle_open.py:30</extracomment>
      <source>Cannot open the bundle</source>
      <translation>无法打开模型包</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/bundle_open.py:62</extracomment>
      <source>the bundle {}</source>
      <translation>模型包 {}</translation>
    </message>
    <message>
      <source>Opened {}: its model is on the canvas</source>
      <translation type="vanished">已打开 {}：它的模型已放到画布上</translation>
    </message>
  </context>
  <context>
    <name>export.dialog</name>
    <message>
      <extracomment>workbench/ui/export/dialog.py:63</extracomment>
      <source>Export model</source>
      <translation>导出模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:93</extracomment>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:99</extracomment>
      <source>Check the exported model against PyTorch (recommended)</source>
      <translation>将导出的模型与 PyTorch 对比检查（推荐）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:101</extracomment>
      <source>Read the written file back with its real consumer (onnxruntime, torch.export.load, ...) and compare its outputs with the model's on a random batch.</source>
      <translation>用实际使用它的程序（onnxruntime、torch.export.load 等）读回写出的文件，并在一批随机输入上将其输出与原模型比较。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:117</extracomment>
      <source>Show the layer</source>
      <translation>显示该层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:123</extracomment>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:129</extracomment>
      <source>Export:</source>
      <translation>导出：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:207</extracomment>
      <source>Not trained: its weights are a random initialization (enough to check that the model exports; train it to export something useful).</source>
      <translation>未训练：权重是随机初始化的（足以检查模型能否导出；训练后再导出才有实际用处）。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:317</extracomment>
      <source>✗ Not exported</source>
      <translation>✗ 未导出</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:137</extracomment>
      <source>Format:</source>
      <translation>格式：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:139</extracomment>
      <source>Save to:</source>
      <translation>保存到：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:267</extracomment>
      <source>Choose where to save the export.</source>
      <translation>请选择导出的保存位置。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:336</extracomment>
      <source>The export is still running; it cannot be stopped halfway. Close this dialog when it is done.</source>
      <translation>导出仍在进行，无法中途停止。完成后再关闭此对话框。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:205</extracomment>
      <source>Trained weights from the run folder {}</source>
      <translation>来自训练文件夹 {} 的训练权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:209</extracomment>
      <source>Exports &lt;b&gt;{}&lt;/b&gt;</source>
      <translation>导出 &lt;b&gt;{}&lt;/b&gt;</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:240</extracomment>
      <source>Choose where to write the {}</source>
      <translation>选择 {} 的写入位置</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:279</extracomment>
      <source>Exporting to {}…</source>
      <translation>正在导出为 {}…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:272</extracomment>
      <source>{} is a folder: give a file name ending in {}.</source>
      <translation>{} 是一个文件夹：请给出以 {} 结尾的文件名。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:326</extracomment>
      <source>Show '{}' on the canvas</source>
      <translation>在画布上显示“{}”</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:303</extracomment>
      <source>Exported as {}</source>
      <translation>已导出为 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/dialog.py:311</extracomment>
      <source>Exported {}</source>
      <translation>已导出 {}</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/export/job.py:58</extracomment>
      <source>a folder of %n file(s)</source>
      <translation>
        <numerusform>包含 %n 个文件的文件夹</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/job.py:64</extracomment>
      <source>Not checked against PyTorch.</source>
      <translation>未与 PyTorch 进行对比检查。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/job.py:76</extracomment>
      <source>Loading the model…</source>
      <translation>正在加载模型…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/job.py:59</extracomment>
      <source>Wrote {} ({})</source>
      <translation>已写入 {}（{}）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/job.py:78</extracomment>
      <source>Writing the {} and checking it…</source>
      <translation>正在写入 {} 并进行检查…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/job.py:78</extracomment>
      <source>Writing the {}…</source>
      <translation>正在写入 {}…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/job.py:85</extracomment>
      <source>Cannot write {}: {}</source>
      <translation>无法写入 {}：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/job.py:88</extracomment>
      <source>The {} export failed: {}</source>
      <translation>{} 导出失败：{}</translation>
    </message>
  </context>
  <context>
    <name>export.sources</name>
    <message>
      <extracomment>workbench/ui/export/sources.py:110</extracomment>
      <source>not tested</source>
      <translation>未测试</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:86</extracomment>
      <source>best weights</source>
      <translation>最佳权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:88</extracomment>
      <source>last weights</source>
      <translation>最后的权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:95</extracomment>
      <source>Run '{}' {} ({}, {})</source>
      <translation>训练“{}”{}（{}，{}）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:106</extracomment>
      <source>test acc {} %</source>
      <translation>测试准确率 {} %</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/export/sources.py:121</extracomment>
      <source>The model on the canvas has %n problem(s) (first: {}); fix them on the Problems panel first.</source>
      <translation>
        <numerusform>画布上的模型有 %n 个问题（第一个：{}）；请先在“问题”面板中修复。</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:130</extracomment>
      <source>The canvas model '{}', untrained</source>
      <translation>画布上的模型“{}”，未训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:131</extracomment>
      <source>The canvas model '{}' with its start weights from {}</source>
      <translation>画布上的模型“{}”，带有来自 {} 的初始权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:109</extracomment>
      <source>test {} {}</source>
      <translation>测试 {} {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:150</extracomment>
      <source>The selected run is still training: export it when it ends.</source>
      <translation>选中的训练仍在进行：请在结束后再导出。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:171</extracomment>
      <source>The selected run has no saved weights.</source>
      <translation>选中的训练没有保存的权重。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:172</extracomment>
      <source>The last run has no saved weights.</source>
      <translation>上一次训练没有保存的权重。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:163</extracomment>
      <source>The selected run cannot be read: {}</source>
      <translation>无法读取选中的训练：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/export/sources.py:164</extracomment>
      <source>The last run cannot be read: {}</source>
      <translation>无法读取上一次训练：{}</translation>
    </message>
  </context>
  <context>
    <name>files</name>
    <message>
      <extracomment>workbench/ui/files.py:88</extracomment>
      <source>Cannot change the model's properties</source>
      <translation>无法更改模型属性</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:143</extracomment>
      <source>The start weights cannot be found</source>
      <translation>找不到初始权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:242</extracomment>
      <source>Clear Recent Files</source>
      <translation>清除最近文件</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:104</extracomment>
      <source>Cannot open the template</source>
      <translation>无法打开模板</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:128</extracomment>
      <source>Cannot open the model</source>
      <translation>无法打开模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:194</extracomment>
      <source>Cannot save the model</source>
      <translation>无法保存模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:197</extracomment>
      <source>Saved {}</source>
      <translation>已保存 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:212</extracomment>
      <source>Cannot restore</source>
      <translation>无法恢复</translation>
    </message>
    <message>
      <extracomment>workbench/ui/files.py:239</extracomment>
      <source>No recent files</source>
      <translation>没有最近文件</translation>
    </message>
  </context>
  <context>
    <name>generate.text_window</name>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:44</extracomment>
      <source>Generate text — Workbench</source>
      <translation>生成文本 — Workbench</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:53</extracomment>
      <source>The text to continue (empty: start a new line)</source>
      <translation>要续写的文本（留空：从新的一行开始）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:55</extracomment>
      <source>Tokens to write</source>
      <translation>要写的词元数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:56</extracomment>
      <source>Below 1 safer, above 1 wilder; 0 always takes the likeliest token</source>
      <translation>小于 1 更稳妥，大于 1 更随意；0 总是选取可能性最大的词元</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:58</extracomment>
      <source>Draw only among the k likeliest tokens (0: off)</source>
      <translation>只在可能性最大的 k 个词元中抽取（0：关闭）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:59</extracomment>
      <source>off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:60</extracomment>
      <source>Draw only among the likeliest tokens that make up this share of the probability (1: off)</source>
      <translation>只在累计概率达到此比例的最可能词元中抽取（1：关闭）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:63</extracomment>
      <source>The same seed writes the same text</source>
      <translation>相同的随机种子写出相同的文本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:70</extracomment>
      <source>Generate</source>
      <translation>生成</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:73</extracomment>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:129</extracomment>
      <source>Writing…</source>
      <translation>正在写…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:150</extracomment>
      <source>Stopped after {:,} tokens (seed {}).</source>
      <translation>写了 {:,} 个词元后停止（随机种子 {}）。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:151</extracomment>
      <source>Wrote {:,} tokens (seed {}).</source>
      <translation>已写 {:,} 个词元（随机种子 {}）。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:65</extracomment>
      <source>Length</source>
      <translation>长度</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:66</extracomment>
      <source>Temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:68</extracomment>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:80</extracomment>
      <source>Prompt</source>
      <translation>提示词</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:197</extracomment>
      <source>the model</source>
      <translation>该模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/generate/text_window.py:156</extracomment>
      <source>Cannot generate: {}</source>
      <translation>无法生成：{}</translation>
    </message>
  </context>
  <context>
    <name>inspector.panel</name>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:31</extracomment>
      <source>Select a layer on the canvas to see and edit its parameters.

Add layers from the palette: drag one onto the canvas, or double-click it to append it after the selected layer. Connect layers by dragging from an output port (bottom) to an input port (top).</source>
      <translation>在画布上选择一个层，即可查看和编辑它的参数。

从层库添加层：把层拖到画布上，或双击它添加到选中层之后。从输出端口（底部）拖到输入端口（顶部）即可连接各层。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:114</extracomment>
      <source>The layer's name: letters, digits and underscores, unique in the model</source>
      <translation>层的名称：字母、数字和下划线，在模型中唯一</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:127</extracomment>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:163</extracomment>
      <source>Connection</source>
      <translation>连接</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:170</extracomment>
      <source>Press Delete to remove this connection.</source>
      <translation>按 Delete 键删除此连接。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:129</extracomment>
      <source>Frozen (its weights do not train)</source>
      <translation>冻结（其权重不参与训练）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:130</extracomment>
      <source>Fine-tuning: a frozen layer keeps its weights (and a BatchNorm its statistics); no gradients, no optimizer state</source>
      <translation>微调：冻结的层保持其权重不变（BatchNorm 保持其统计量）；不计算梯度，也没有优化器状态</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:143</extracomment>
      <source>This layer has no parameters.</source>
      <translation>该层没有参数。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:166</extracomment>
      <source> (input '{}')</source>
      <translation>（输入“{}”）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:167</extracomment>
      <source>From &lt;b&gt;{}&lt;/b&gt; to &lt;b&gt;{}&lt;/b&gt;</source>
      <translation>从 &lt;b&gt;{}&lt;/b&gt; 到 &lt;b&gt;{}&lt;/b&gt;</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:204</extracomment>
      <source>Input</source>
      <translation>输入</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:205</extracomment>
      <source>Output</source>
      <translation>输出</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:207</extracomment>
      <source>Parameters</source>
      <translation>参数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:214</extracomment>
      <source>Output shape unknown until the problems below (or before it) are fixed.</source>
      <translation>在修复下面（或之前层）的问题之前，输出形状未知。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:86</extracomment>
      <source>'{}' has an unknown layer kind '{}'.</source>
      <translation>“{}”的层类型“{}”未知。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:210</extracomment>
      <source>batch {}</source>
      <translation>批大小 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:219</extracomment>
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <extracomment>workbench/ui/inspector/panel.py:219</extracomment>
      <source>Warning</source>
      <translation>警告</translation>
    </message>
  </context>
  <context>
    <name>main_window</name>
    <message>
      <extracomment>workbench/ui/main_window.py:57</extracomment>
      <source>Loading PyTorch and the layer catalogue…</source>
      <translation>正在加载 PyTorch 和层库…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:62</extracomment>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:70</extracomment>
      <source>Palette</source>
      <translation>层库</translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:71</extracomment>
      <source>Inspector</source>
      <translation>检查器</translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:73</extracomment>
      <source>Summary</source>
      <translation>摘要</translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:75</extracomment>
      <source>Problems</source>
      <translation>问题</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/main_window.py:243</extracomment>
      <source>%n parameter(s)</source>
      <translation>
        <numerusform>%n 个参数</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:245</extracomment>
      <source>{} / batch of {}</source>
      <translation>{} / 批大小 {}</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/main_window.py:250</extracomment>
      <source>%n error(s)</source>
      <translation>
        <numerusform>%n 个错误</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/main_window.py:251</extracomment>
      <source>%n warning(s)</source>
      <translation>
        <numerusform>%n 个警告</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:255</extracomment>
      <source>No problems</source>
      <translation>没有问题</translation>
    </message>
    <message>
      <extracomment>workbench/ui/main_window.py:253</extracomment>
      <source>, </source>
      <translation>，</translation>
    </message>
  </context>
  <context>
    <name>palette.panel</name>
    <message>
      <extracomment>workbench/ui/palette/panel.py:135</extracomment>
      <source>Drag onto the canvas, or double-click to add after the selected layer</source>
      <translation>拖到画布上，或双击添加到选中层之后</translation>
    </message>
    <message>
      <extracomment>workbench/ui/palette/panel.py:76</extracomment>
      <source>Search layers…</source>
      <translation>搜索层…</translation>
    </message>
  </context>
  <context>
    <name>plots.gan_view</name>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:45</extracomment>
      <source>GAN losses</source>
      <translation>GAN 损失曲线</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:47</extracomment>
      <source>discriminator</source>
      <translation>判别器 D</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:48</extracomment>
      <source>generator</source>
      <translation>生成器 G</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:49</extracomment>
      <source>D(x) real</source>
      <translation>D(x) 真实样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:50</extracomment>
      <source>D(G(z)) generated</source>
      <translation>D(G(z)) 生成样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:51</extracomment>
      <source>Samples from fixed noise appear here while it trains</source>
      <translation>训练时，这里显示由固定噪声生成的样本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:119</extracomment>
      <source>{} · step {:,} (epoch {})</source>
      <translation>{} · 第 {:,} 步（第 {} 轮）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/gan_view.py:120</extracomment>
      <source>Samples</source>
      <translation>样本</translation>
    </message>
  </context>
  <context>
    <name>plots.live</name>
    <message>
      <extracomment>workbench/ui/plots/live.py:44</extracomment>
      <source>Loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:44</extracomment>
      <source>Accuracy</source>
      <translation>准确率</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:45</extracomment>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:46</extracomment>
      <source>Samples per second</source>
      <translation>每秒样本数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:100</extracomment>
      <source>train (raw)</source>
      <translation>训练（原始）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:102</extracomment>
      <source>train</source>
      <translation>训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:103</extracomment>
      <source>validation</source>
      <translation>验证</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:108</extracomment>
      <source>this run</source>
      <translation>本次训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:134</extracomment>
      <source>Exponential moving average of the training curves, per step</source>
      <translation>训练曲线按步的指数移动平均</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:140</extracomment>
      <source>Raw</source>
      <translation>原始值</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:142</extracomment>
      <source>Show the unsmoothed training values (faint)</source>
      <translation>显示未平滑的训练值（浅色）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:145</extracomment>
      <source>Log loss</source>
      <translation>对数损失</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:152</extracomment>
      <source>Clear overlays</source>
      <translation>清除叠加曲线</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:156</extracomment>
      <source>Fit</source>
      <translation>适应</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:157</extracomment>
      <source>Autoscale every plot to its data</source>
      <translation>将每个图自动缩放到其数据范围</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/live.py:129</extracomment>
      <source>Smoothing</source>
      <translation>平滑</translation>
    </message>
  </context>
  <context>
    <name>plots.metric_plot</name>
    <message>
      <extracomment>workbench/ui/plots/metric_plot.py:141</extracomment>
      <source>step</source>
      <translation>步</translation>
    </message>
    <message>
      <extracomment>workbench/ui/plots/metric_plot.py:320</extracomment>
      <source>step {}</source>
      <translation>第 {} 步</translation>
    </message>
  </context>
  <context>
    <name>problems.panel</name>
    <message>
      <extracomment>workbench/ui/problems/panel.py:61</extracomment>
      <source>✓  No problems: the model is ready to train.</source>
      <translation>✓  没有问题：模型可以开始训练了。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/problems/panel.py:48</extracomment>
      <source>Problem</source>
      <translation>问题</translation>
    </message>
    <message>
      <extracomment>workbench/ui/problems/panel.py:48</extracomment>
      <source>Layer</source>
      <translation>层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/problems/panel.py:113</extracomment>
      <source>Fix it (one step you can undo)</source>
      <translation>修复（可撤销的一步）</translation>
    </message>
  </context>
  <context>
    <name>runs.panel</name>
    <message>
      <extracomment>workbench/ui/runs/panel.py:77</extracomment>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:79</extracomment>
      <source>Overlay selected runs on the plots</source>
      <translation>将选中的训练叠加到图上</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:82</extracomment>
      <source>Open model</source>
      <translation>打开模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:83</extracomment>
      <source>Put this run's model on the canvas (undoable)</source>
      <translation>将此次训练的模型放到画布上（可撤销）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:85</extracomment>
      <source>Fine-tune from this run</source>
      <translation>从此次训练微调</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:86</extracomment>
      <source>Put this run's model on the canvas with its trained weights attached: training starts from them</source>
      <translation>将此次训练的模型连同训练好的权重放到画布上：训练将从这些权重开始</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:89</extracomment>
      <source>Continue…</source>
      <translation>继续训练…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:90</extracomment>
      <source>Train this run for more epochs, exactly where it stopped (same settings, same curves)</source>
      <translation>从此次训练停止的地方继续训练更多轮（相同的设置，相同的曲线）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:93</extracomment>
      <source>Show evaluation</source>
      <translation>显示评估</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:95</extracomment>
      <source>Compress…</source>
      <translation>压缩…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:96</extracomment>
      <source>Prune, quantize (int8) or distil this run into a smaller, faster model (each a new run)</source>
      <translation>将此次训练剪枝、量化（int8）或蒸馏为更小、更快的模型（每个都是一次新训练）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:99</extracomment>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:117</extracomment>
      <source>Show equal settings too</source>
      <translation>也显示相同的设置</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:119</extracomment>
      <source>Select two or more runs to compare their settings.</source>
      <translation>选择两次或更多训练以比较它们的设置。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:318</extracomment>
      <source>Delete runs</source>
      <translation>删除训练记录</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/runs/panel.py:319</extracomment>
      <source>Delete %n run(s) and their folders (weights, metrics)?</source>
      <translation>
        <numerusform>删除 %n 次训练及其文件夹（权重、指标）？</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/runs/panel.py:342</extracomment>
      <source>Deleted %n run(s)</source>
      <translation>
        <numerusform>已删除 %n 次训练</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/runs/panel.py:242</extracomment>
      <source>%n setting(s) differ between the {} runs</source>
      <translation>
        <numerusform>这 {} 次训练之间有 %n 项设置不同</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:162</extracomment>
      <source>Cannot read the run history: {}</source>
      <translation>无法读取训练历史：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:246</extracomment>
      <source>run {}</source>
      <translation>训练 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:271</extracomment>
      <source>Cannot open the run: {}</source>
      <translation>无法打开该次训练：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:333</extracomment>
      <source>The run {} is still training: stop it first.</source>
      <translation>训练 {} 仍在进行：请先停止它。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/panel.py:339</extracomment>
      <source>Cannot delete {}: {}</source>
      <translation>无法删除 {}：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:21</extracomment>
      <source>running</source>
      <translation>进行中</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:21</extracomment>
      <source>finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:22</extracomment>
      <source>stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:22</extracomment>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:23</extracomment>
      <source>stopped early</source>
      <translation>提前停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:23</extracomment>
      <source>interrupted</source>
      <translation>已中断</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:27</extracomment>
      <source>pruned</source>
      <translation>剪枝</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:27</extracomment>
      <source>quantized (int8)</source>
      <translation>量化（int8）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:28</extracomment>
      <source>fp16 weights</source>
      <translation>fp16 权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:28</extracomment>
      <source>bf16 weights</source>
      <translation>bf16 权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:29</extracomment>
      <source>distilled</source>
      <translation>蒸馏</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:29</extracomment>
      <source>fine-tuned</source>
      <translation>已微调</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:30</extracomment>
      <source>Run</source>
      <translation>训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:30</extracomment>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:30</extracomment>
      <source>Started</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:30</extracomment>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:31</extracomment>
      <source>Data</source>
      <translation>数据</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:31</extracomment>
      <source>Best val acc</source>
      <translation>最佳验证准确率</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:31</extracomment>
      <source>Test acc</source>
      <translation>测试准确率</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:31</extracomment>
      <source>Duration</source>
      <translation>时长</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:32</extracomment>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <extracomment>workbench/ui/runs/table.py:78</extracomment>
      <source>{} from </source>
      <translation>{}自 </translation>
    </message>
  </context>
  <context>
    <name>startup_checks</name>
    <message>
      <extracomment>workbench/ui/startup_checks.py:133</extracomment>
      <source>Copied</source>
      <translation>已复制</translation>
    </message>
    <message>
      <extracomment>workbench/ui/startup_checks.py:70</extracomment>
      <source>System check</source>
      <translation>系统检查</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/startup_checks.py:78</extracomment>
      <source>Workbench found %n thing(s) to fix on this computer. It keeps working meanwhile.</source>
      <translation>
        <numerusform>Workbench 在这台计算机上发现 %n 个需要修复的问题。在此期间它仍可正常使用。</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/startup_checks.py:115</extracomment>
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <extracomment>workbench/ui/startup_checks.py:122</extracomment>
      <source>On other systems</source>
      <translation>在其他系统上</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/startup_checks.py:167</extracomment>
      <source>System check: %n problem(s) (Help &gt; System Check)</source>
      <translation>
        <numerusform>系统检查：%n 个问题（帮助 &gt; 系统检查）</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/startup_checks.py:75</extracomment>
      <source>Everything Workbench needs is here.</source>
      <translation>Workbench 所需的一切都已就绪。</translation>
    </message>
  </context>
  <context>
    <name>summary.panel</name>
    <message>
      <extracomment>workbench/ui/summary/panel.py:31</extracomment>
      <source>Layer</source>
      <translation>层</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:31</extracomment>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:31</extracomment>
      <source>Output shape</source>
      <translation>输出形状</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:31</extracomment>
      <source>Parameters</source>
      <translation>参数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:36</extracomment>
      <source>no optimizer</source>
      <translation>无优化器</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:147</extracomment>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:151</extracomment>
      <source>Training memory</source>
      <translation>训练内存</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:157</extracomment>
      <source>Parameters of frozen layers, and the training memory that saves: frozen layers get no gradients and no optimizer state</source>
      <translation>冻结层的参数量，以及由此节省的训练内存：冻结的层没有梯度，也没有优化器状态</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:161</extracomment>
      <source>Per device</source>
      <translation>每个设备</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:162</extracomment>
      <source>Per device, FSDP</source>
      <translation>每个设备，FSDP</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:164</extracomment>
      <source>Data-parallel on N devices: each holds the whole model, its gradients and optimizer state, and 1/N of the batch's activations</source>
      <translation>在 N 个设备上数据并行：每个设备持有整个模型、它的梯度和优化器状态，以及批次激活值的 1/N</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:167</extracomment>
      <source>Sharded (FSDP): each device holds 1/N of the weights, gradients and optimizer state, plus the largest layer's weights while it runs, and 1/N of the activations</source>
      <translation>分片（FSDP）：每个设备持有权重、梯度和优化器状态的 1/N，外加最大一层运行时的权重，以及激活值的 1/N</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:174</extracomment>
      <source>One training step: weights, their gradients, the optimizer's state and the activations kept for the backward pass</source>
      <translation>一个训练步骤所需：权重、梯度、优化器状态，以及为反向传播保留的激活值</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:178</extracomment>
      <source>What autograd saves for the backward pass at this batch size, measured by running each layer on PyTorch's meta device: layer inputs and outputs, attention maps, normalization statistics, dropout masks; each tensor once. fp32: mixed precision roughly halves it. Fused kernels keep their own amounts (less for fused attention, up to twice as much for an LSTM on the CPU).</source>
      <translation>在此批大小下 autograd 为反向传播保存的内容，通过在 PyTorch 的 meta 设备上逐层运行测得：层的输入和输出、注意力图、归一化统计量、dropout 掩码；每个张量只计一次。按 fp32 计：混合精度大约减半。融合内核有各自的用量（融合注意力更少，CPU 上的 LSTM 最多可达两倍）。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:308</extracomment>
      <source>The start weights of this model came from {}, which cannot be read now ({}): training starts from fresh weights. Fine-tune from a run or bundle again, or detach them (Edit &gt; Detach Start Weights).</source>
      <translation>此模型的初始权重来自 {}，现在无法读取（{}）：训练将从全新的权重开始。请重新从某个运行或模型包微调，或将其分离（编辑 &gt; 分离初始权重）。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:148</extracomment>
      <source>Trainable</source>
      <translation>可训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:149</extracomment>
      <source>Frozen</source>
      <translation>已冻结</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:149</extracomment>
      <source>FLOPs per batch</source>
      <translation>每批次 FLOPs</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:153</extracomment>
      <source>Weights</source>
      <translation>权重</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:153</extracomment>
      <source>Gradients</source>
      <translation>梯度</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:154</extracomment>
      <source>Optimizer state</source>
      <translation>优化器状态</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:154</extracomment>
      <source>Activations</source>
      <translation>激活值</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:155</extracomment>
      <source>Total</source>
      <translation>合计</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:281</extracomment>
      <source>Start weights attached (which layers load is shown once the model has no errors)</source>
      <translation>已附加初始权重（模型没有错误后将显示哪些层会加载）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:101</extracomment>
      <source>{} FLOPs for a batch of {}</source>
      <translation>批大小为 {} 时共 {} FLOPs</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:254</extracomment>
      <source>batch of {}, {}</source>
      <translation>批大小 {}，{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/summary/panel.py:258</extracomment>
      <source>{} (of {})</source>
      <translation>{}（共 {} 个）</translation>
    </message>
  </context>
  <context>
    <name>sweep.plots</name>
    <message>
      <extracomment>workbench/ui/sweep/plots.py:33</extracomment>
      <source>Parallel coordinates (finished trials; yellow: best, purple: worst)</source>
      <translation>平行坐标图（已完成的试验；黄色：最佳，紫色：最差）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/plots.py:37</extracomment>
      <source>scaled 0..1</source>
      <translation>缩放到 0..1</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/plots.py:69</extracomment>
      <source>Parameter importance</source>
      <translation>参数重要性</translation>
    </message>
  </context>
  <context>
    <name>sweep.view</name>
    <message>
      <extracomment>workbench/ui/sweep/view.py:34</extracomment>
      <source>finished</source>
      <translation>已完成</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:34</extracomment>
      <source>pruned</source>
      <translation>已剪枝（提前停止）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:35</extracomment>
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:35</extracomment>
      <source>running</source>
      <translation>进行中</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:36</extracomment>
      <source>waiting</source>
      <translation>等待中</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:71</extracomment>
      <source>One per line: NAME=LOW..HIGH[:log] (a range), NAME=A,B,C (choices); NAME is a training setting (lr, batch_size, optimizer...) or a layer's parameter, NODE.PARAM</source>
      <translation>每行一个：NAME=LOW..HIGH[:log]（一个范围），NAME=A,B,C（可选值）；NAME 是一个训练设置（如 lr、batch_size）或某层的参数 NODE.PARAM</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:77</extracomment>
      <source>Start sweep</source>
      <translation>开始超参数搜索</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:78</extracomment>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:79</extracomment>
      <source>Open the best trial</source>
      <translation>打开最佳试验</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:83</extracomment>
      <source>Set up the parameters to search, then Start.</source>
      <translation>设置要搜索的参数，然后点击开始。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:85</extracomment>
      <source>Best so far: —</source>
      <translation>目前最佳：—</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:89</extracomment>
      <source>Parameters</source>
      <translation>参数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:90</extracomment>
      <source>Trials</source>
      <translation>试验次数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:91</extracomment>
      <source>Epochs per trial</source>
      <translation>每次试验的训练轮数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:164</extracomment>
      <source>Study '{}': {} of {} trials done, continuing…</source>
      <translation>研究“{}”：已完成 {}/{} 次试验，继续进行…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:165</extracomment>
      <source>Study '{}': {} of {} trials done…</source>
      <translation>研究“{}”：已完成 {}/{} 次试验…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:227</extracomment>
      <source>Trial</source>
      <translation>试验</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:227</extracomment>
      <source>State</source>
      <translation>试验状态</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:227</extracomment>
      <source>Epochs</source>
      <translation>训练轮数</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:227</extracomment>
      <source>Run</source>
      <translation>训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:140</extracomment>
      <source>open a model first</source>
      <translation>请先打开一个模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:143</extracomment>
      <source>give at least one parameter, e.g. lr=1e-4..1e-2:log</source>
      <translation>至少给出一个参数，例如 lr=1e-4..1e-2:log</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:176</extracomment>
      <source>Stopping after this batch; the trial is run again when the sweep continues.</source>
      <translation>将在这个批次后停止；继续搜索时会重新运行这次试验。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:188</extracomment>
      <source>The sweep stopped: {}</source>
      <translation>超参数搜索已停止：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:234</extracomment>
      <source> (again later)</source>
      <translation>（稍后重试）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:246</extracomment>
      <source>Best so far: trial {}, {} {:.4g} ({})</source>
      <translation>目前最佳：试验 {}，{} {:.4g}（{}）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:155</extracomment>
      <source>Cannot start: {}</source>
      <translation>无法开始：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:190</extracomment>
      <source>Study '{}': {} of {} trials done.</source>
      <translation>研究“{}”：已完成 {}/{} 次试验。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/sweep/view.py:274</extracomment>
      <source>Cannot open the best trial: {}</source>
      <translation>无法打开最佳试验：{}</translation>
    </message>
  </context>
  <context>
    <name>task_tabs</name>
    <message>
      <extracomment>workbench/ui/task_tabs.py:51</extracomment>
      <source>Tasks</source>
      <translation>任务</translation>
    </message>
  </context>
  <context>
    <name>training</name>
    <message>
      <extracomment>workbench/ui/training/__init__.py:41</extracomment>
      <source>Data</source>
      <translation>数据</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/__init__.py:42</extracomment>
      <source>Training</source>
      <translation>训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/__init__.py:43</extracomment>
      <source>Evaluation</source>
      <translation>评估</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/__init__.py:44</extracomment>
      <source>Runs</source>
      <translation>训练记录</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/__init__.py:45</extracomment>
      <source>Sweep</source>
      <translation>超参数搜索</translation>
    </message>
  </context>
  <context>
    <name>training.devices</name>
    <message numerus="yes">
      <extracomment>workbench/ui/training/devices.py:51</extracomment>
      <source>CPU (%n core(s))</source>
      <translation>
        <numerusform>CPU（%n 核）</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/devices.py:22</extracomment>
      <source>Automatic (fastest available)</source>
      <translation>自动（最快的可用设备）</translation>
    </message>
  </context>
  <context>
    <name>training.form</name>
    <message>
      <extracomment>workbench/ui/training/form.py:136</extracomment>
      <source>Locked while this run trains: the settings can change for the next run once it ends.</source>
      <translation>本次训练期间已锁定：训练结束后，可为下一次训练更改设置。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:367</extracomment>
      <source>off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:373</extracomment>
      <source>defaults</source>
      <translation>默认</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:368</extracomment>
      <source>on</source>
      <translation>开启</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:372</extracomment>
      <source>needs attention</source>
      <translation>需要注意</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:373</extracomment>
      <source>, </source>
      <translation>，</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:100</extracomment>
      <source>Hide the {} settings</source>
      <translation>隐藏“{}”设置</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:100</extracomment>
      <source>Show the {} settings</source>
      <translation>显示“{}”设置</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/form.py:149</extracomment>
      <source>Other</source>
      <translation>其他</translation>
    </message>
  </context>
  <context>
    <name>training.panel</name>
    <message>
      <extracomment>workbench/ui/training/panel.py:73</extracomment>
      <source>Write TensorBoard logs</source>
      <translation>写入 TensorBoard 日志</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:101</extracomment>
      <source>Sample</source>
      <translation>样本文本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:105</extracomment>
      <source>What the model writes after each epoch (temperature 0.8, the same seed every time)</source>
      <translation>模型在每轮训练后写出的文本（温度 0.8，每次使用相同的随机种子）</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:159</extracomment>
      <source>Train</source>
      <translation>训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:162</extracomment>
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:164</extracomment>
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:166</extracomment>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:178</extracomment>
      <source>Ready</source>
      <translation>就绪</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:281</extracomment>
      <source>Stopping after this batch…</source>
      <translation>将在本批次后停止…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:76</extracomment>
      <source>TensorBoard export is not available in this build</source>
      <translation>此版本不支持导出 TensorBoard 日志</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:78</extracomment>
      <source>Event files in the run folder's tensorboard/ folder</source>
      <translation>事件文件位于训练文件夹的 tensorboard/ 文件夹中</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:214</extracomment>
      <source>Augmentation applies to image data only</source>
      <translation>数据增强只适用于图像数据</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:258</extracomment>
      <source>Fix the model first:</source>
      <translation>请先修复模型：</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:259</extracomment>
      <source>Fix the training settings first:</source>
      <translation>请先修复训练设置：</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/training/panel.py:261</extracomment>
      <source>… and %n more</source>
      <translation>
        <numerusform>… 以及另外 %n 项</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:264</extracomment>
      <source>A run is in progress</source>
      <translation>正在训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:277</extracomment>
      <source> · paused</source>
      <translation> · 已暂停</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:268</extracomment>
      <source>Train the model on the chosen data</source>
      <translation>用所选数据训练模型</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/panel.py:266</extracomment>
      <source>Warning: {}</source>
      <translation>警告：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:33</extracomment>
      <source>Training finished</source>
      <translation>训练完成</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:33</extracomment>
      <source>Training stopped</source>
      <translation>训练已停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:34</extracomment>
      <source>Stopped early</source>
      <translation>已提前停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:34</extracomment>
      <source>Training failed</source>
      <translation>训练失败</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:73</extracomment>
      <source>Preparing…</source>
      <translation>正在准备…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:157</extracomment>
      <source>The run could not start</source>
      <translation>训练无法开始</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:158</extracomment>
      <source>Training could not start</source>
      <translation>训练无法开始</translation>
    </message>
    <message numerus="yes">
      <extracomment>workbench/ui/training/progress.py:138</extracomment>
      <source>{} after %n epoch(s), {} steps, {}</source>
      <translation>
        <numerusform>{}：%n 轮，{} 步，用时 {}</numerusform>
      </translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:118</extracomment>
      <source>Epoch {} · step {} · {} samples/s · ETA {}</source>
      <translation>第 {} 轮 · 第 {} 步 · 每秒 {} 个样本 · 剩余 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:141</extracomment>
      <source> · best validation accuracy {} %</source>
      <translation> · 最佳验证准确率 {} %</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:149</extracomment>
      <source>The run failed.</source>
      <translation>训练失败。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:95</extracomment>
      <source>Training on {} · {} training samples · {} parameters · {}</source>
      <translation>在 {} 上训练 · {} 个训练样本 · {} 个参数 · {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:97</extracomment>
      <source>Training started on {}</source>
      <translation>已在 {} 上开始训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:112</extracomment>
      <source>Evaluated on the test split</source>
      <translation>已在测试集上评估</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:104</extracomment>
      <source>Epoch {}: validation accuracy {} %</source>
      <translation>第 {} 轮：验证准确率 {} %</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/progress.py:107</extracomment>
      <source>Epoch {}: validation loss {}</source>
      <translation>第 {} 轮：验证损失 {}</translation>
    </message>
  </context>
  <context>
    <name>training.preset</name>
    <message>
      <extracomment>workbench/ui/training/preset.py:23</extracomment>
      <source>text</source>
      <translation>文本</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/preset.py:38</extracomment>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/preset.py:39</extracomment>
      <source>Put back the settings these replaced</source>
      <translation>恢复被这些设置替换的原设置</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/preset.py:75</extracomment>
      <source>, </source>
      <translation>，</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/preset.py:65</extracomment>
      <source>Set to suit {} data: {}</source>
      <translation>已按{}数据调整设置：{}</translation>
    </message>
  </context>
  <context>
    <name>training.session</name>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:186</extracomment>
      <source>Evaluation ready on the Evaluation tab</source>
      <translation>评估结果已在“评估”标签页中</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:160</extracomment>
      <source>This run is still training: it is tested when it ends.</source>
      <translation>这次训练仍在进行：结束后会进行测试。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:145</extracomment>
      <source>Opened {} from the run</source>
      <translation>已从训练记录中打开 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:167</extracomment>
      <source>This run has no evaluation and no saved weights to test.</source>
      <translation>这次训练既没有评估结果，也没有可测试的已保存权重。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:171</extracomment>
      <source>Testing the run's best checkpoint…</source>
      <translation>正在测试该次训练的最佳检查点…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:129</extracomment>
      <source>run {}</source>
      <translation>训练 {}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:143</extracomment>
      <source>Cannot open the model: {}</source>
      <translation>无法打开模型：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:157</extracomment>
      <source>Cannot open the run: {}</source>
      <translation>无法打开该次训练：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:184</extracomment>
      <source>The evaluation could not be recorded: {}</source>
      <translation>无法记录评估结果：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/run_actions.py:127</extracomment>
      <source>Cannot read the metrics of {}: {}</source>
      <translation>无法读取 {} 的指标：{}</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:133</extracomment>
      <source>Training could not start</source>
      <translation>训练无法开始</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:133</extracomment>
      <source>There is no model to train.</source>
      <translation>没有可训练的模型。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:144</extracomment>
      <source>Choose the data's path on the Data tab first.</source>
      <translation>请先在“数据”标签页中选择数据路径。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:155</extracomment>
      <source>The data do not fit the model</source>
      <translation>数据与模型不匹配</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:251</extracomment>
      <source>Stopping the run…</source>
      <translation>正在停止训练…</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:206</extracomment>
      <source>The run stopped before its test: its best checkpoint can be tested now.</source>
      <translation>训练在测试前就停止了：现在可以测试它的最佳检查点。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:244</extracomment>
      <source>Training in progress</source>
      <translation>正在训练</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:245</extracomment>
      <source>A model is training. Stop the run and close?

The run keeps its last checkpoint.</source>
      <translation>模型正在训练。要停止训练并关闭吗？

训练会保留最后一个检查点。</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:253</extracomment>
      <source>Training did not stop</source>
      <translation>训练没有停止</translation>
    </message>
    <message>
      <extracomment>workbench/ui/training/session.py:254</extracomment>
      <source>The run did not stop in time; try again.</source>
      <translation>训练未能及时停止，请重试。</translation>
    </message>
  </context>
  <context>
    <name>catalogue</name>
    <message>
      <extracomment>layer group</extracomment>
      <source>Inputs</source>
      <translation>输入层</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Dense</source>
      <translation>全连接</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Convolution</source>
      <translation>卷积</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Pooling</source>
      <translation>池化</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Normalization</source>
      <translation>归一化</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Recurrent</source>
      <translation>循环</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Attention</source>
      <translation>注意力</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Merge</source>
      <translation>合并</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Activation</source>
      <translation>激活函数</translation>
    </message>
    <message>
      <extracomment>layer group</extracomment>
      <source>Output</source>
      <translation>输出层</translation>
    </message>
    <message>
      <extracomment>layer ImageInput: title</extracomment>
      <source>Image input</source>
      <translation>图像输入</translation>
    </message>
    <message>
      <extracomment>layer ImageInput: help</extracomment>
      <source>Images of C x H x W pixels (for CNNs)</source>
      <translation>C x H x W 像素的图像（用于 CNN）</translation>
    </message>
    <message>
      <extracomment>ImageInput.channels: title</extracomment>
      <source>Channels</source>
      <translation>通道数</translation>
    </message>
    <message>
      <extracomment>ImageInput.channels: help</extracomment>
      <source>Colour channels: 1 for grey, 3 for RGB</source>
      <translation>颜色通道数：灰度为 1，RGB 为 3</translation>
    </message>
    <message>
      <extracomment>ImageInput.height: title</extracomment>
      <source>Height</source>
      <translation>高度</translation>
    </message>
    <message>
      <extracomment>ImageInput.height: help</extracomment>
      <source>Image height in pixels</source>
      <translation>图像高度（像素）</translation>
    </message>
    <message>
      <extracomment>ImageInput.width: title</extracomment>
      <source>Width</source>
      <translation>宽度</translation>
    </message>
    <message>
      <extracomment>ImageInput.width: help</extracomment>
      <source>Image width in pixels</source>
      <translation>图像宽度（像素）</translation>
    </message>
    <message>
      <extracomment>layer FeatureInput: title</extracomment>
      <source>Feature input</source>
      <translation>特征输入</translation>
    </message>
    <message>
      <extracomment>layer FeatureInput: help</extracomment>
      <source>A flat vector of numeric features per sample</source>
      <translation>每个样本一个由数值特征组成的向量</translation>
    </message>
    <message>
      <extracomment>FeatureInput.features: title</extracomment>
      <source>Features</source>
      <translation>特征数</translation>
    </message>
    <message>
      <extracomment>FeatureInput.features: help</extracomment>
      <source>Number of features per sample</source>
      <translation>每个样本的特征数</translation>
    </message>
    <message>
      <extracomment>layer TokenInput: title</extracomment>
      <source>Token sequence input</source>
      <translation>词元序列输入</translation>
    </message>
    <message>
      <extracomment>layer TokenInput: help</extracomment>
      <source>Sequences of token ids (words or characters) of a fixed length</source>
      <translation>固定长度的词元 id 序列（单词或字符）</translation>
    </message>
    <message>
      <extracomment>TokenInput.vocab_size: title</extracomment>
      <source>Vocab size</source>
      <translation>词表大小</translation>
    </message>
    <message>
      <extracomment>TokenInput.vocab_size: help</extracomment>
      <source>Number of distinct tokens (the vocabulary size)</source>
      <translation>不同词元的数量（词表大小）</translation>
    </message>
    <message>
      <extracomment>TokenInput.length: title</extracomment>
      <source>Length</source>
      <translation>长度</translation>
    </message>
    <message>
      <extracomment>TokenInput.length: help</extracomment>
      <source>Tokens per sequence</source>
      <translation>每个序列的词元数</translation>
    </message>
    <message>
      <extracomment>layer SequenceInput: title</extracomment>
      <source>Vector sequence input</source>
      <translation>向量序列输入</translation>
    </message>
    <message>
      <extracomment>layer SequenceInput: help</extracomment>
      <source>Sequences of feature vectors: length x features</source>
      <translation>特征向量的序列：长度 x 特征数</translation>
    </message>
    <message>
      <extracomment>SequenceInput.length: help</extracomment>
      <source>Steps per sequence</source>
      <translation>每个序列的步数</translation>
    </message>
    <message>
      <extracomment>SequenceInput.features: help</extracomment>
      <source>Features per step</source>
      <translation>每步的特征数</translation>
    </message>
    <message>
      <extracomment>layer ImageRows: title</extracomment>
      <source>Image as rows</source>
      <translation>图像按行读取</translation>
    </message>
    <message>
      <extracomment>layer ImageRows: help</extracomment>
      <source>Images read as a sequence of rows (H steps of C*W features), for RNNs</source>
      <translation>把图像作为行序列读取（H 步，每步 C*W 个特征），用于 RNN</translation>
    </message>
    <message>
      <extracomment>layer ImagePatches: title</extracomment>
      <source>Image as patches</source>
      <translation>图像按块读取</translation>
    </message>
    <message>
      <extracomment>layer ImagePatches: help</extracomment>
      <source>Images read as a sequence of p x p patches (C*p*p features each), for Transformers</source>
      <translation>把图像作为 p x p 图块的序列读取（每块 C*p*p 个特征），用于 Transformer</translation>
    </message>
    <message>
      <extracomment>ImagePatches.patch: title</extracomment>
      <source>Patch</source>
      <translation>图块</translation>
    </message>
    <message>
      <extracomment>ImagePatches.patch: help</extracomment>
      <source>Patch side in pixels</source>
      <translation>图块边长（像素）</translation>
    </message>
    <message>
      <extracomment>layer NoiseInput: title</extracomment>
      <source>Noise input (latent vector)</source>
      <translation>噪声输入（潜向量）</translation>
    </message>
    <message>
      <extracomment>layer NoiseInput: help</extracomment>
      <source>Random latent vectors a generator turns into samples (a GAN's input): the trainer draws them, no data needed</source>
      <translation>生成器将其转换为样本的随机潜向量（GAN 的输入）：由训练器抽取，无需数据</translation>
    </message>
    <message>
      <extracomment>NoiseInput.latent: title</extracomment>
      <source>Latent</source>
      <translation>潜变量维度</translation>
    </message>
    <message>
      <extracomment>NoiseInput.latent: help</extracomment>
      <source>Size of the latent vector</source>
      <translation>潜向量的大小</translation>
    </message>
    <message>
      <extracomment>NoiseInput.distribution: title</extracomment>
      <source>Distribution</source>
      <translation>分布</translation>
    </message>
    <message>
      <extracomment>NoiseInput.distribution: help</extracomment>
      <source>Standard normal, or uniform on [-1, 1]</source>
      <translation>标准正态分布，或 [-1, 1] 上的均匀分布</translation>
    </message>
    <message>
      <extracomment>layer Linear: title</extracomment>
      <source>Linear</source>
      <translation>全连接层</translation>
    </message>
    <message>
      <extracomment>layer Linear: help</extracomment>
      <source>Fully connected layer applied to the last axis: y = xW + b</source>
      <translation>作用于最后一个轴的全连接层：y = xW + b</translation>
    </message>
    <message>
      <extracomment>Linear.out_features: title</extracomment>
      <source>Out features</source>
      <translation>输出特征数</translation>
    </message>
    <message>
      <extracomment>Linear.out_features: help</extracomment>
      <source>Output features</source>
      <translation>输出特征数</translation>
    </message>
    <message>
      <extracomment>Linear.in_features: title</extracomment>
      <source>In features</source>
      <translation>输入特征数</translation>
    </message>
    <message>
      <extracomment>Linear.in_features: help</extracomment>
      <source>Input features (0 = take it from the input)</source>
      <translation>输入特征数（0 = 从输入推断）</translation>
    </message>
    <message>
      <extracomment>Linear.bias: title</extracomment>
      <source>Bias</source>
      <translation>偏置</translation>
    </message>
    <message>
      <extracomment>Linear.bias: help</extracomment>
      <source>Learn an additive bias</source>
      <translation>学习一个加性偏置</translation>
    </message>
    <message>
      <extracomment>layer Flatten: title</extracomment>
      <source>Flatten</source>
      <translation>展平</translation>
    </message>
    <message>
      <extracomment>layer Flatten: help</extracomment>
      <source>Flatten each sample to one vector (keeps the batch axis)</source>
      <translation>把每个样本展平成一个向量（保留批次轴）</translation>
    </message>
    <message>
      <extracomment>layer Reshape: title</extracomment>
      <source>Reshape</source>
      <translation>重塑形状</translation>
    </message>
    <message>
      <extracomment>layer Reshape: help</extracomment>
      <source>Rearrange each sample into a new shape with the same size</source>
      <translation>把每个样本重新排列成大小相同的新形状</translation>
    </message>
    <message>
      <extracomment>Reshape.shape: title</extracomment>
      <source>Shape</source>
      <translation>形状</translation>
    </message>
    <message>
      <extracomment>Reshape.shape: help</extracomment>
      <source>Target per-sample shape, e.g. 1, 28, 28</source>
      <translation>每个样本的目标形状，例如 1, 28, 28</translation>
    </message>
    <message>
      <extracomment>layer Dropout: title</extracomment>
      <source>Dropout</source>
      <translation>Dropout</translation>
    </message>
    <message>
      <extracomment>layer Dropout: help</extracomment>
      <source>Randomly zero a fraction of values while training (regularization)</source>
      <translation>训练时随机将一部分值置零（正则化）</translation>
    </message>
    <message>
      <extracomment>Dropout.p: title</extracomment>
      <source>P</source>
      <translation>P</translation>
    </message>
    <message>
      <extracomment>Dropout.p: help</extracomment>
      <source>Fraction of values dropped</source>
      <translation>丢弃值的比例</translation>
    </message>
    <message>
      <extracomment>layer Dropout2d: title</extracomment>
      <source>Dropout 2D (channels)</source>
      <translation>Dropout 2D（通道）</translation>
    </message>
    <message>
      <extracomment>layer Dropout2d: help</extracomment>
      <source>Randomly zero whole channels of an image while training (regularization for CNNs)</source>
      <translation>训练时随机将图像的整个通道置零（CNN 的正则化）</translation>
    </message>
    <message>
      <extracomment>Dropout2d.p: help</extracomment>
      <source>Fraction of channels dropped</source>
      <translation>丢弃通道的比例</translation>
    </message>
    <message>
      <extracomment>layer Conv1d: title</extracomment>
      <source>Conv 1D</source>
      <translation>一维卷积</translation>
    </message>
    <message>
      <extracomment>layer Conv1d: help</extracomment>
      <source>1D convolution: slides learned filters over the sequence</source>
      <translation>一维卷积：在序列上滑动可学习的卷积核</translation>
    </message>
    <message>
      <extracomment>Conv1d.out_channels: title</extracomment>
      <source>Out channels</source>
      <translation>输出通道数</translation>
    </message>
    <message>
      <extracomment>Conv1d.out_channels: help</extracomment>
      <source>Number of filters (output channels)</source>
      <translation>卷积核数量（输出通道数）</translation>
    </message>
    <message>
      <extracomment>Conv1d.kernel_size: title</extracomment>
      <source>Kernel size</source>
      <translation>卷积核大小</translation>
    </message>
    <message>
      <extracomment>Conv1d.kernel_size: help</extracomment>
      <source>Filter size</source>
      <translation>卷积核尺寸</translation>
    </message>
    <message>
      <extracomment>Conv1d.stride: title</extracomment>
      <source>Stride</source>
      <translation>步幅</translation>
    </message>
    <message>
      <extracomment>Conv1d.stride: help</extracomment>
      <source>Step between filter positions</source>
      <translation>卷积核每次移动的步长</translation>
    </message>
    <message>
      <extracomment>Conv1d.padding: title</extracomment>
      <source>Padding</source>
      <translation>填充</translation>
    </message>
    <message>
      <extracomment>Conv1d.padding: help</extracomment>
      <source>Zeros added on each side, or 'same' to keep the size</source>
      <translation>每侧补零的数量，或用 'same' 保持尺寸不变</translation>
    </message>
    <message>
      <extracomment>Conv1d.dilation: title</extracomment>
      <source>Dilation</source>
      <translation>膨胀</translation>
    </message>
    <message>
      <extracomment>Conv1d.dilation: help</extracomment>
      <source>Spacing between filter taps</source>
      <translation>卷积核各点之间的间隔</translation>
    </message>
    <message>
      <extracomment>Conv1d.groups: title</extracomment>
      <source>Groups</source>
      <translation>分组</translation>
    </message>
    <message>
      <extracomment>Conv1d.groups: help</extracomment>
      <source>Split channels into independent groups</source>
      <translation>把通道分成相互独立的组</translation>
    </message>
    <message>
      <extracomment>Conv1d.in_channels: title</extracomment>
      <source>In channels</source>
      <translation>输入通道数</translation>
    </message>
    <message>
      <extracomment>Conv1d.in_channels: help</extracomment>
      <source>Input channels (0 = take it from the input)</source>
      <translation>输入通道数（0 = 从输入推断）</translation>
    </message>
    <message>
      <extracomment>layer Conv2d: title</extracomment>
      <source>Conv 2D</source>
      <translation>二维卷积</translation>
    </message>
    <message>
      <extracomment>layer Conv2d: help</extracomment>
      <source>2D convolution: slides learned filters over the image</source>
      <translation>二维卷积：在图像上滑动可学习的卷积核</translation>
    </message>
    <message>
      <extracomment>layer ConvTranspose2d: title</extracomment>
      <source>Transposed conv 2D</source>
      <translation>二维转置卷积</translation>
    </message>
    <message>
      <extracomment>layer ConvTranspose2d: help</extracomment>
      <source>Learned upsampling (a 'deconvolution'): with stride 2 it doubles H and W (GAN generators, decoders)</source>
      <translation>可学习的上采样（“反卷积”）：步幅为 2 时 H 和 W 加倍（GAN 生成器、解码器）</translation>
    </message>
    <message>
      <extracomment>ConvTranspose2d.padding: help</extracomment>
      <source>Zeros added on each side</source>
      <translation>每侧补零的数量</translation>
    </message>
    <message>
      <extracomment>ConvTranspose2d.output_padding: title</extracomment>
      <source>Output padding</source>
      <translation>输出填充</translation>
    </message>
    <message>
      <extracomment>ConvTranspose2d.output_padding: help</extracomment>
      <source>Extra rows and columns added to one side of the output (less than the stride)</source>
      <translation>在输出的一侧额外添加的行和列（小于步幅）</translation>
    </message>
    <message>
      <extracomment>layer Upsample: title</extracomment>
      <source>Upsample</source>
      <translation>上采样</translation>
    </message>
    <message>
      <extracomment>layer Upsample: help</extracomment>
      <source>Enlarge an image (or a sequence) by a scale factor, repeating (nearest) or interpolating (bilinear) values; no weights</source>
      <translation>按比例放大图像（或序列），重复（nearest）或插值（bilinear）；没有权重</translation>
    </message>
    <message>
      <extracomment>Upsample.scale_factor: title</extracomment>
      <source>Scale factor</source>
      <translation>缩放倍数</translation>
    </message>
    <message>
      <extracomment>Upsample.scale_factor: help</extracomment>
      <source>How many times larger each side becomes</source>
      <translation>每条边放大的倍数</translation>
    </message>
    <message>
      <extracomment>Upsample.mode: title</extracomment>
      <source>Mode</source>
      <translation>模式</translation>
    </message>
    <message>
      <extracomment>Upsample.mode: help</extracomment>
      <source>Repeat the nearest value, or interpolate between neighbours</source>
      <translation>重复最近的值，或在相邻值之间插值</translation>
    </message>
    <message>
      <extracomment>layer MaxPool1d: title</extracomment>
      <source>Max pool 1D</source>
      <translation>一维最大池化</translation>
    </message>
    <message>
      <extracomment>layer MaxPool1d: help</extracomment>
      <source>Keep the largest value in each window of a sequence</source>
      <translation>保留序列每个窗口中的最大值</translation>
    </message>
    <message>
      <extracomment>MaxPool1d.kernel_size: help</extracomment>
      <source>Window size</source>
      <translation>窗口大小</translation>
    </message>
    <message>
      <extracomment>MaxPool1d.stride: help</extracomment>
      <source>Step between windows (0 = the window size)</source>
      <translation>窗口之间的步长（0 = 窗口大小）</translation>
    </message>
    <message>
      <extracomment>MaxPool1d.padding: help</extracomment>
      <source>Padding on each side</source>
      <translation>每侧的填充</translation>
    </message>
    <message>
      <extracomment>MaxPool1d.ceil_mode: title</extracomment>
      <source>Ceil mode</source>
      <translation>向上取整模式</translation>
    </message>
    <message>
      <extracomment>MaxPool1d.ceil_mode: help</extracomment>
      <source>Round the output size up, so a partial window at the edge is pooled too</source>
      <translation>输出尺寸向上取整，使边缘不完整的窗口也参与池化</translation>
    </message>
    <message>
      <extracomment>layer MaxPool2d: title</extracomment>
      <source>Max pool 2D</source>
      <translation>二维最大池化</translation>
    </message>
    <message>
      <extracomment>layer MaxPool2d: help</extracomment>
      <source>Keep the largest value in each window: halves H and W</source>
      <translation>保留每个窗口中的最大值：H 和 W 减半</translation>
    </message>
    <message>
      <extracomment>layer AvgPool1d: title</extracomment>
      <source>Average pool 1D</source>
      <translation>一维平均池化</translation>
    </message>
    <message>
      <extracomment>layer AvgPool1d: help</extracomment>
      <source>Average each window of a sequence</source>
      <translation>对序列的每个窗口求平均</translation>
    </message>
    <message>
      <extracomment>AvgPool1d.count_include_pad: title</extracomment>
      <source>Count include pad</source>
      <translation>计入填充</translation>
    </message>
    <message>
      <extracomment>AvgPool1d.count_include_pad: help</extracomment>
      <source>Count the padding zeros in each average (off: average only the real values)</source>
      <translation>在每次求平均时计入填充的零（关闭：只对真实值求平均）</translation>
    </message>
    <message>
      <extracomment>layer AvgPool2d: title</extracomment>
      <source>Average pool 2D</source>
      <translation>二维平均池化</translation>
    </message>
    <message>
      <extracomment>layer AvgPool2d: help</extracomment>
      <source>Average each window of an image</source>
      <translation>对图像的每个窗口求平均</translation>
    </message>
    <message>
      <extracomment>layer AdaptiveAvgPool2d: title</extracomment>
      <source>Adaptive average pool</source>
      <translation>自适应平均池化</translation>
    </message>
    <message>
      <extracomment>layer AdaptiveAvgPool2d: help</extracomment>
      <source>Average-pool an image to a fixed output size whatever its input size</source>
      <translation>无论输入多大，都把图像平均池化到固定的输出尺寸</translation>
    </message>
    <message>
      <extracomment>AdaptiveAvgPool2d.output_size: title</extracomment>
      <source>Output size</source>
      <translation>输出尺寸</translation>
    </message>
    <message>
      <extracomment>AdaptiveAvgPool2d.output_size: help</extracomment>
      <source>Output height and width</source>
      <translation>输出的高度和宽度</translation>
    </message>
    <message>
      <extracomment>layer AdaptiveMaxPool2d: title</extracomment>
      <source>Adaptive max pool</source>
      <translation>自适应最大池化</translation>
    </message>
    <message>
      <extracomment>layer AdaptiveMaxPool2d: help</extracomment>
      <source>Max-pool an image to a fixed output size whatever its input size</source>
      <translation>无论输入多大，都把图像最大池化到固定的输出尺寸</translation>
    </message>
    <message>
      <extracomment>layer GlobalAvgPool: title</extracomment>
      <source>Global average pool</source>
      <translation>全局平均池化</translation>
    </message>
    <message>
      <extracomment>layer GlobalAvgPool: help</extracomment>
      <source>Average every channel over all positions: C x H x W -&gt; C</source>
      <translation>对每个通道在所有位置上求平均：C x H x W -&gt; C</translation>
    </message>
    <message>
      <extracomment>layer BatchNorm1d: title</extracomment>
      <source>Batch norm 1D</source>
      <translation>一维批归一化</translation>
    </message>
    <message>
      <extracomment>layer BatchNorm1d: help</extracomment>
      <source>Normalize each feature (or channel of a sequence) over the batch</source>
      <translation>在批次上归一化每个特征（或序列的每个通道）</translation>
    </message>
    <message>
      <extracomment>BatchNorm1d.num_features: title</extracomment>
      <source>Num features</source>
      <translation>特征数</translation>
    </message>
    <message>
      <extracomment>BatchNorm1d.num_features: help</extracomment>
      <source>Channels (0 = take it from the input)</source>
      <translation>通道数（0 = 从输入推断）</translation>
    </message>
    <message>
      <extracomment>BatchNorm1d.momentum: title</extracomment>
      <source>Momentum</source>
      <translation>动量</translation>
    </message>
    <message>
      <extracomment>BatchNorm1d.momentum: help</extracomment>
      <source>How fast the running statistics follow the batches</source>
      <translation>运行统计量跟随各批次变化的速度</translation>
    </message>
    <message>
      <extracomment>BatchNorm1d.eps: title</extracomment>
      <source>Eps</source>
      <translation>Eps</translation>
    </message>
    <message>
      <extracomment>BatchNorm1d.eps: help</extracomment>
      <source>Added to the variance before dividing (numerical safety)</source>
      <translation>在相除之前加到方差上（保证数值稳定）</translation>
    </message>
    <message>
      <extracomment>layer BatchNorm2d: title</extracomment>
      <source>Batch norm 2D</source>
      <translation>二维批归一化</translation>
    </message>
    <message>
      <extracomment>layer BatchNorm2d: help</extracomment>
      <source>Normalize each channel of an image over the batch</source>
      <translation>在批次上归一化图像的每个通道</translation>
    </message>
    <message>
      <extracomment>layer GroupNorm: title</extracomment>
      <source>Group norm</source>
      <translation>组归一化</translation>
    </message>
    <message>
      <extracomment>layer GroupNorm: help</extracomment>
      <source>Normalize groups of channels within each sample: independent of the batch size</source>
      <translation>在每个样本内按通道组归一化：与批大小无关</translation>
    </message>
    <message>
      <extracomment>GroupNorm.num_groups: title</extracomment>
      <source>Num groups</source>
      <translation>组数</translation>
    </message>
    <message>
      <extracomment>GroupNorm.num_groups: help</extracomment>
      <source>Channel groups (must divide the channels)</source>
      <translation>通道组数（必须能整除通道数）</translation>
    </message>
    <message>
      <extracomment>GroupNorm.affine: title</extracomment>
      <source>Affine</source>
      <translation>仿射变换</translation>
    </message>
    <message>
      <extracomment>GroupNorm.affine: help</extracomment>
      <source>Learn a per-channel scale and shift</source>
      <translation>学习每个通道的缩放和偏移</translation>
    </message>
    <message>
      <extracomment>GroupNorm.num_channels: title</extracomment>
      <source>Num channels</source>
      <translation>通道数</translation>
    </message>
    <message>
      <extracomment>layer InstanceNorm2d: title</extracomment>
      <source>Instance norm 2D</source>
      <translation>二维实例归一化</translation>
    </message>
    <message>
      <extracomment>layer InstanceNorm2d: help</extracomment>
      <source>Normalize each channel of each image over its pixels (style transfer, GANs)</source>
      <translation>在每张图像的像素上归一化每个通道（风格迁移、GAN）</translation>
    </message>
    <message>
      <extracomment>layer LayerNorm: title</extracomment>
      <source>Layer norm</source>
      <translation>层归一化</translation>
    </message>
    <message>
      <extracomment>layer LayerNorm: help</extracomment>
      <source>Normalize each sample over its last axis (used in Transformers)</source>
      <translation>在最后一个轴上归一化每个样本（用于 Transformer）</translation>
    </message>
    <message>
      <extracomment>LayerNorm.normalized_size: title</extracomment>
      <source>Normalized size</source>
      <translation>归一化尺寸</translation>
    </message>
    <message>
      <extracomment>LayerNorm.normalized_size: help</extracomment>
      <source>Size of the last axis (0 = take it from the input)</source>
      <translation>最后一个轴的大小（0 = 从输入推断）</translation>
    </message>
    <message>
      <extracomment>layer Embedding: title</extracomment>
      <source>Embedding</source>
      <translation>嵌入层</translation>
    </message>
    <message>
      <extracomment>layer Embedding: help</extracomment>
      <source>Turn token ids into learned vectors: length -&gt; length x dim</source>
      <translation>把词元 id 变成可学习的向量：长度 -&gt; 长度 x 维度</translation>
    </message>
    <message>
      <extracomment>Embedding.embedding_dim: title</extracomment>
      <source>Embedding dim</source>
      <translation>嵌入维度</translation>
    </message>
    <message>
      <extracomment>Embedding.embedding_dim: help</extracomment>
      <source>Vector size per token</source>
      <translation>每个词元的向量大小</translation>
    </message>
    <message>
      <extracomment>Embedding.num_embeddings: title</extracomment>
      <source>Num embeddings</source>
      <translation>嵌入数量</translation>
    </message>
    <message>
      <extracomment>Embedding.num_embeddings: help</extracomment>
      <source>Vocabulary size (0 = take it from the input)</source>
      <translation>词表大小（0 = 从输入推断）</translation>
    </message>
    <message>
      <extracomment>Embedding.padding_idx: title</extracomment>
      <source>Padding idx</source>
      <translation>填充索引</translation>
    </message>
    <message>
      <extracomment>Embedding.padding_idx: help</extracomment>
      <source>Token id used for padding: its vector stays zero and learns nothing (-1 = none)</source>
      <translation>用于填充的词元 id：它的向量保持为零，不参与学习（-1 = 无）</translation>
    </message>
    <message>
      <extracomment>Embedding.init_std: title</extracomment>
      <source>Init std</source>
      <translation>初始标准差</translation>
    </message>
    <message>
      <extracomment>Embedding.init_std: help</extracomment>
      <source>Spread (standard deviation) of the initial vectors; GPTs use 0.02 (0 = PyTorch's 1)</source>
      <translation>初始向量的分布宽度（标准差）；GPT 用 0.02（0 = PyTorch 的 1）</translation>
    </message>
    <message>
      <extracomment>layer RNN: title</extracomment>
      <source>RNN</source>
      <translation>RNN</translation>
    </message>
    <message>
      <extracomment>layer RNN: help</extracomment>
      <source>Simple recurrent layer (Elman RNN)</source>
      <translation>简单循环层（Elman RNN）</translation>
    </message>
    <message>
      <extracomment>RNN.hidden_size: title</extracomment>
      <source>Hidden size</source>
      <translation>隐藏层大小</translation>
    </message>
    <message>
      <extracomment>RNN.hidden_size: help</extracomment>
      <source>Features in the hidden state</source>
      <translation>隐藏状态中的特征数</translation>
    </message>
    <message>
      <extracomment>RNN.num_layers: title</extracomment>
      <source>Num layers</source>
      <translation>层数</translation>
    </message>
    <message>
      <extracomment>RNN.num_layers: help</extracomment>
      <source>Stacked recurrent layers</source>
      <translation>堆叠的循环层数</translation>
    </message>
    <message>
      <extracomment>RNN.bidirectional: title</extracomment>
      <source>Bidirectional</source>
      <translation>双向</translation>
    </message>
    <message>
      <extracomment>RNN.bidirectional: help</extracomment>
      <source>Also read the sequence backwards</source>
      <translation>同时反向读取序列</translation>
    </message>
    <message>
      <extracomment>RNN.dropout: help</extracomment>
      <source>Dropout between stacked layers</source>
      <translation>堆叠层之间的 Dropout</translation>
    </message>
    <message>
      <extracomment>RNN.output: help</extracomment>
      <source>Return every step, the last step, or the final hidden state</source>
      <translation>返回每一步、最后一步，或最终隐藏状态</translation>
    </message>
    <message>
      <extracomment>RNN.input_size: title</extracomment>
      <source>Input size</source>
      <translation>输入大小</translation>
    </message>
    <message>
      <extracomment>RNN.input_size: help</extracomment>
      <source>Features per step (0 = take it from the input)</source>
      <translation>每步的特征数（0 = 从输入推断）</translation>
    </message>
    <message>
      <extracomment>RNN.nonlinearity: title</extracomment>
      <source>Nonlinearity</source>
      <translation>非线性函数</translation>
    </message>
    <message>
      <extracomment>layer LSTM: title</extracomment>
      <source>LSTM</source>
      <translation>LSTM</translation>
    </message>
    <message>
      <extracomment>layer LSTM: help</extracomment>
      <source>Long short-term memory: remembers over long sequences</source>
      <translation>长短期记忆网络：能记住长序列中的信息</translation>
    </message>
    <message>
      <extracomment>layer GRU: title</extracomment>
      <source>GRU</source>
      <translation>GRU</translation>
    </message>
    <message>
      <extracomment>layer GRU: help</extracomment>
      <source>Gated recurrent unit: a lighter LSTM</source>
      <translation>门控循环单元：更轻量的 LSTM</translation>
    </message>
    <message>
      <extracomment>layer PositionalEncoding: title</extracomment>
      <source>Positional encoding</source>
      <translation>位置编码</translation>
    </message>
    <message>
      <extracomment>layer PositionalEncoding: help</extracomment>
      <source>Add position information to a sequence (fixed sinusoids or learned)</source>
      <translation>为序列添加位置信息（固定正弦编码或可学习编码）</translation>
    </message>
    <message>
      <extracomment>PositionalEncoding.kind: title</extracomment>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <extracomment>PositionalEncoding.kind: help</extracomment>
      <source>Fixed or learned</source>
      <translation>固定或可学习</translation>
    </message>
    <message>
      <extracomment>PositionalEncoding.max_len: title</extracomment>
      <source>Max len</source>
      <translation>最大长度</translation>
    </message>
    <message>
      <extracomment>PositionalEncoding.max_len: help</extracomment>
      <source>Longest sequence (0 = the input length)</source>
      <translation>最长序列长度（0 = 输入长度）</translation>
    </message>
    <message>
      <extracomment>PositionalEncoding.dropout: help</extracomment>
      <source>Dropout after adding</source>
      <translation>相加后的 Dropout</translation>
    </message>
    <message>
      <extracomment>PositionalEncoding.d_model: title</extracomment>
      <source>D model</source>
      <translation>模型维度</translation>
    </message>
    <message>
      <extracomment>PositionalEncoding.d_model: help</extracomment>
      <source>Model width (0 = take it from the input)</source>
      <translation>模型宽度（0 = 从输入推断）</translation>
    </message>
    <message>
      <extracomment>layer PatchEmbedding: title</extracomment>
      <source>Patch embedding</source>
      <translation>图块嵌入</translation>
    </message>
    <message>
      <extracomment>layer PatchEmbedding: help</extracomment>
      <source>Cut an image into p x p patches and project each to a vector (ViT)</source>
      <translation>把图像切成 p x p 的图块，并把每块投影成一个向量（ViT）</translation>
    </message>
    <message>
      <extracomment>PatchEmbedding.embed_dim: title</extracomment>
      <source>Embed dim</source>
      <translation>嵌入维度</translation>
    </message>
    <message>
      <extracomment>PatchEmbedding.embed_dim: help</extracomment>
      <source>Vector size per patch</source>
      <translation>每个图块的向量大小</translation>
    </message>
    <message>
      <extracomment>layer ClassToken: title</extracomment>
      <source>Class token</source>
      <translation>类别词元</translation>
    </message>
    <message>
      <extracomment>layer ClassToken: help</extracomment>
      <source>Prepend a learned token whose final state summarizes the sequence</source>
      <translation>在序列前添加一个可学习的词元，它的最终状态概括整个序列</translation>
    </message>
    <message>
      <extracomment>layer MultiHeadAttention: title</extracomment>
      <source>Multi-head self-attention</source>
      <translation>多头自注意力</translation>
    </message>
    <message>
      <extracomment>layer MultiHeadAttention: help</extracomment>
      <source>Every step attends to every other step (or only earlier ones when causal)</source>
      <translation>每一步关注其他所有步（因果模式下只关注之前的步）</translation>
    </message>
    <message>
      <extracomment>MultiHeadAttention.heads: title</extracomment>
      <source>Heads</source>
      <translation>头数</translation>
    </message>
    <message>
      <extracomment>MultiHeadAttention.heads: help</extracomment>
      <source>Attention heads (must divide the width)</source>
      <translation>注意力头数（必须能整除宽度）</translation>
    </message>
    <message>
      <extracomment>MultiHeadAttention.dropout: help</extracomment>
      <source>Attention dropout</source>
      <translation>注意力 Dropout</translation>
    </message>
    <message>
      <extracomment>MultiHeadAttention.mask: title</extracomment>
      <source>Mask</source>
      <translation>掩码</translation>
    </message>
    <message>
      <extracomment>MultiHeadAttention.mask: help</extracomment>
      <source>Causal: a step sees only the past</source>
      <translation>因果：每一步只能看到过去</translation>
    </message>
    <message>
      <extracomment>layer TransformerEncoder: title</extracomment>
      <source>Transformer encoder block</source>
      <translation>Transformer 编码器块</translation>
    </message>
    <message>
      <extracomment>layer TransformerEncoder: help</extracomment>
      <source>Self-attention + feed-forward with residuals and layer norm; stack with 'layers'</source>
      <translation>自注意力 + 前馈网络，带残差连接和层归一化；用“层数”堆叠</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.ff_dim: title</extracomment>
      <source>Ff dim</source>
      <translation>前馈维度</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.ff_dim: help</extracomment>
      <source>Hidden size of the feed-forward part</source>
      <translation>前馈部分的隐藏层大小</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.dropout: help</extracomment>
      <source>Dropout inside the block</source>
      <translation>块内的 Dropout</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.activation: help</extracomment>
      <source>Feed-forward activation</source>
      <translation>前馈网络的激活函数</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.norm: title</extracomment>
      <source>Norm</source>
      <translation>归一化位置</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.norm: help</extracomment>
      <source>Layer norm after (original) or before (modern)</source>
      <translation>层归一化放在之后（原始）或之前（现代）</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.layers: title</extracomment>
      <source>Layers</source>
      <translation>层数</translation>
    </message>
    <message>
      <extracomment>TransformerEncoder.layers: help</extracomment>
      <source>How many identical blocks to stack</source>
      <translation>堆叠多少个相同的块</translation>
    </message>
    <message>
      <extracomment>layer CausalDecoder: title</extracomment>
      <source>Causal decoder block (GPT)</source>
      <translation>因果解码器块（GPT）</translation>
    </message>
    <message>
      <extracomment>layer CausalDecoder: help</extracomment>
      <source>Pre-norm Transformer block where each step sees only earlier steps; stack with 'layers'</source>
      <translation>前置归一化的 Transformer 块，每一步只能看到之前的步；用“层数”堆叠</translation>
    </message>
    <message>
      <extracomment>layer SequencePool: title</extracomment>
      <source>Sequence pooling</source>
      <translation>序列池化</translation>
    </message>
    <message>
      <extracomment>layer SequencePool: help</extracomment>
      <source>Reduce a sequence to one vector: mean of steps, last step, or the class token</source>
      <translation>把序列归约成一个向量：各步的平均值、最后一步或类别词元</translation>
    </message>
    <message>
      <extracomment>SequencePool.mode: help</extracomment>
      <source>How to reduce</source>
      <translation>归约方式</translation>
    </message>
    <message>
      <extracomment>layer Add: title</extracomment>
      <source>Add (residual)</source>
      <translation>相加（残差）</translation>
    </message>
    <message>
      <extracomment>layer Add: help</extracomment>
      <source>Sum inputs of the same shape: a skip connection</source>
      <translation>把形状相同的输入相加：跳跃连接</translation>
    </message>
    <message>
      <extracomment>layer Multiply: title</extracomment>
      <source>Multiply</source>
      <translation>相乘</translation>
    </message>
    <message>
      <extracomment>layer Multiply: help</extracomment>
      <source>Element-wise product of 2 to 4 inputs, broadcasting axes of size 1 (e.g. a C x 1 x 1 gate scaling a C x H x W image, as in squeeze-and-excitation)</source>
      <translation>2 到 4 个输入逐元素相乘，大小为 1 的轴会广播（例如用 C x 1 x 1 的门控缩放 C x H x W 的图像，如 squeeze-and-excitation）</translation>
    </message>
    <message>
      <extracomment>layer Concatenate: title</extracomment>
      <source>Concatenate</source>
      <translation>拼接</translation>
    </message>
    <message>
      <extracomment>layer Concatenate: help</extracomment>
      <source>Join inputs along one axis (0 = channels)</source>
      <translation>沿一个轴拼接输入（0 = 通道）</translation>
    </message>
    <message>
      <extracomment>Concatenate.axis: title</extracomment>
      <source>Axis</source>
      <translation>轴</translation>
    </message>
    <message>
      <extracomment>Concatenate.axis: help</extracomment>
      <source>Per-sample axis to join on (0 = channels/first, -1 = last)</source>
      <translation>拼接所沿的样本轴（0 = 通道/第一个，-1 = 最后一个）</translation>
    </message>
    <message>
      <extracomment>layer ReLU: title</extracomment>
      <source>ReLU</source>
      <translation>ReLU</translation>
    </message>
    <message>
      <extracomment>layer ReLU: help</extracomment>
      <source>max(0, x): the default activation</source>
      <translation>max(0, x)：默认的激活函数</translation>
    </message>
    <message>
      <extracomment>layer ReLU6: title</extracomment>
      <source>ReLU6</source>
      <translation>ReLU6</translation>
    </message>
    <message>
      <extracomment>layer ReLU6: help</extracomment>
      <source>min(max(0, x), 6): ReLU capped at 6 (MobileNet)</source>
      <translation>min(max(0, x), 6)：上限为 6 的 ReLU（MobileNet）</translation>
    </message>
    <message>
      <extracomment>layer LeakyReLU: title</extracomment>
      <source>Leaky ReLU</source>
      <translation>Leaky ReLU</translation>
    </message>
    <message>
      <extracomment>layer LeakyReLU: help</extracomment>
      <source>Like ReLU with a small slope for negative inputs</source>
      <translation>类似 ReLU，但负输入有一个小斜率</translation>
    </message>
    <message>
      <extracomment>LeakyReLU.negative_slope: title</extracomment>
      <source>Negative slope</source>
      <translation>负斜率</translation>
    </message>
    <message>
      <extracomment>LeakyReLU.negative_slope: help</extracomment>
      <source>Slope for x &lt; 0</source>
      <translation>x &lt; 0 时的斜率</translation>
    </message>
    <message>
      <extracomment>layer ELU: title</extracomment>
      <source>ELU</source>
      <translation>ELU</translation>
    </message>
    <message>
      <extracomment>layer ELU: help</extracomment>
      <source>x for x &gt; 0, alpha * (exp(x) - 1) below: a smooth ReLU</source>
      <translation>x &gt; 0 时为 x，否则为 alpha * (exp(x) - 1)：平滑的 ReLU</translation>
    </message>
    <message>
      <extracomment>ELU.alpha: title</extracomment>
      <source>Alpha</source>
      <translation>Alpha</translation>
    </message>
    <message>
      <extracomment>ELU.alpha: help</extracomment>
      <source>Value approached for very negative x</source>
      <translation>x 非常小时趋近的值</translation>
    </message>
    <message>
      <extracomment>layer GELU: title</extracomment>
      <source>GELU</source>
      <translation>GELU</translation>
    </message>
    <message>
      <extracomment>layer GELU: help</extracomment>
      <source>Smooth ReLU used by Transformers</source>
      <translation>Transformer 中使用的平滑 ReLU</translation>
    </message>
    <message>
      <extracomment>GELU.approximate: title</extracomment>
      <source>Approximate</source>
      <translation>近似方式</translation>
    </message>
    <message>
      <extracomment>GELU.approximate: help</extracomment>
      <source>Exact or tanh form</source>
      <translation>精确形式或 tanh 近似</translation>
    </message>
    <message>
      <extracomment>layer SiLU: title</extracomment>
      <source>SiLU (swish)</source>
      <translation>SiLU（swish）</translation>
    </message>
    <message>
      <extracomment>layer SiLU: help</extracomment>
      <source>x * sigmoid(x)</source>
      <translation>x * sigmoid(x)</translation>
    </message>
    <message>
      <extracomment>layer Hardswish: title</extracomment>
      <source>Hard swish</source>
      <translation>Hard swish</translation>
    </message>
    <message>
      <extracomment>layer Hardswish: help</extracomment>
      <source>A cheap piecewise swish (MobileNetV3)</source>
      <translation>计算量小的分段 swish（MobileNetV3）</translation>
    </message>
    <message>
      <extracomment>layer Tanh: title</extracomment>
      <source>Tanh</source>
      <translation>Tanh</translation>
    </message>
    <message>
      <extracomment>layer Tanh: help</extracomment>
      <source>Squash to (-1, 1)</source>
      <translation>压缩到 (-1, 1)</translation>
    </message>
    <message>
      <extracomment>layer Sigmoid: title</extracomment>
      <source>Sigmoid</source>
      <translation>Sigmoid</translation>
    </message>
    <message>
      <extracomment>layer Sigmoid: help</extracomment>
      <source>Squash to (0, 1)</source>
      <translation>压缩到 (0, 1)</translation>
    </message>
    <message>
      <extracomment>layer Hardsigmoid: title</extracomment>
      <source>Hard sigmoid</source>
      <translation>Hard sigmoid</translation>
    </message>
    <message>
      <extracomment>layer Hardsigmoid: help</extracomment>
      <source>A cheap piecewise sigmoid (MobileNetV3's gates)</source>
      <translation>计算量小的分段 sigmoid（MobileNetV3 的门控）</translation>
    </message>
    <message>
      <extracomment>layer Softmax: title</extracomment>
      <source>Softmax</source>
      <translation>Softmax</translation>
    </message>
    <message>
      <extracomment>layer Softmax: help</extracomment>
      <source>Turn scores into probabilities along an axis (not before a classification head: the loss applies it)</source>
      <translation>沿一个轴把分数变成概率（不要放在分类头之前：损失函数会做这一步）</translation>
    </message>
    <message>
      <extracomment>Softmax.dim: title</extracomment>
      <source>Dim</source>
      <translation>维度</translation>
    </message>
    <message>
      <extracomment>Softmax.dim: help</extracomment>
      <source>Axis to normalize over (-1 = the last)</source>
      <translation>归一化所沿的轴（-1 = 最后一个）</translation>
    </message>
    <message>
      <extracomment>layer LogSoftmax: title</extracomment>
      <source>Log-softmax</source>
      <translation>Log-softmax</translation>
    </message>
    <message>
      <extracomment>layer LogSoftmax: help</extracomment>
      <source>Log-probabilities along an axis</source>
      <translation>沿一个轴的对数概率</translation>
    </message>
    <message>
      <extracomment>layer ClassificationHead: title</extracomment>
      <source>Classification head</source>
      <translation>分类头</translation>
    </message>
    <message>
      <extracomment>layer ClassificationHead: help</extracomment>
      <source>Linear layer giving one score (logit) per class: Number of classes</source>
      <translation>为每个类别输出一个分数（logit）的全连接层：类别数</translation>
    </message>
    <message>
      <extracomment>ClassificationHead.classes: title</extracomment>
      <source>Classes</source>
      <translation>类别数</translation>
    </message>
    <message>
      <extracomment>ClassificationHead.classes: help</extracomment>
      <source>Number of classes</source>
      <translation>类别数</translation>
    </message>
    <message>
      <extracomment>layer RegressionHead: title</extracomment>
      <source>Regression head</source>
      <translation>回归头</translation>
    </message>
    <message>
      <extracomment>layer RegressionHead: help</extracomment>
      <source>Linear layer giving real-valued outputs: Number of outputs</source>
      <translation>输出实数值的全连接层：输出数</translation>
    </message>
    <message>
      <extracomment>RegressionHead.outputs: title</extracomment>
      <source>Outputs</source>
      <translation>输出数</translation>
    </message>
    <message>
      <extracomment>RegressionHead.outputs: help</extracomment>
      <source>Number of outputs</source>
      <translation>输出数</translation>
    </message>
    <message>
      <extracomment>layer ImageOutput: title</extracomment>
      <source>Image output</source>
      <translation>图像输出</translation>
    </message>
    <message>
      <extracomment>layer ImageOutput: help</extracomment>
      <source>Turns its input into a C x H x W image in pixel range: sigmoid for [0, 1], tanh for [-1, 1] (a GAN generator's or an autoencoder's output)</source>
      <translation>将输入变为像素范围内的 C x H x W 图像：sigmoid 对应 [0, 1]，tanh 对应 [-1, 1]（GAN 生成器或自编码器的输出）</translation>
    </message>
    <message>
      <extracomment>ImageOutput.channels: help</extracomment>
      <source>Colour channels of the image</source>
      <translation>图像的颜色通道数</translation>
    </message>
    <message>
      <extracomment>ImageOutput.activation: help</extracomment>
      <source>sigmoid: pixels in [0, 1]; tanh: pixels in [-1, 1]</source>
      <translation>sigmoid：像素在 [0, 1]；tanh：像素在 [-1, 1]</translation>
    </message>
    <message>
      <extracomment>ImageOutput.loss: title</extracomment>
      <source>Loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <extracomment>ImageOutput.loss: help</extracomment>
      <source>Reconstruction loss when trained against images (autoencoders): mean squared error or binary cross-entropy (sigmoid only)</source>
      <translation>以图像为目标训练时（自编码器）的重建损失：均方误差或二元交叉熵（仅限 sigmoid）</translation>
    </message>
  </context>
  <context>
    <name>datasets</name>
    <message>
      <extracomment>data source digits</extracomment>
      <source>Digits 8x8</source>
      <translation>手写数字 8x8</translation>
    </message>
    <message>
      <extracomment>data source digits</extracomment>
      <source>1,797 handwritten digits, 8x8 greyscale, 10 classes (built in).</source>
      <translation>1,797 张手写数字，8x8 灰度，10 个类别（内置）。</translation>
    </message>
    <message>
      <extracomment>data source digits28</extracomment>
      <source>Digits 28x28</source>
      <translation>手写数字 28x28</translation>
    </message>
    <message>
      <extracomment>data source digits28</extracomment>
      <source>The built-in digits upscaled to 28x28, for MNIST-sized models.</source>
      <translation>内置手写数字放大到 28x28，适用于 MNIST 尺寸的模型。</translation>
    </message>
    <message>
      <extracomment>data source mnist</extracomment>
      <source>MNIST</source>
      <translation>MNIST</translation>
    </message>
    <message>
      <extracomment>data source mnist</extracomment>
      <source>70,000 handwritten digits, 28x28 greyscale, 10 classes.</source>
      <translation>70,000 张手写数字，28x28 灰度，10 个类别。</translation>
    </message>
    <message>
      <extracomment>data source fashion-mnist</extracomment>
      <source>Fashion-MNIST</source>
      <translation>Fashion-MNIST</translation>
    </message>
    <message>
      <extracomment>data source fashion-mnist</extracomment>
      <source>70,000 clothing images, 28x28 greyscale, 10 classes.</source>
      <translation>70,000 张服装图像，28x28 灰度，10 个类别。</translation>
    </message>
    <message>
      <extracomment>data source kmnist</extracomment>
      <source>KMNIST</source>
      <translation>KMNIST</translation>
    </message>
    <message>
      <extracomment>data source kmnist</extracomment>
      <source>70,000 cursive Japanese characters, 28x28 greyscale, 10 classes.</source>
      <translation>70,000 个日文草书字符，28x28 灰度，10 个类别。</translation>
    </message>
    <message>
      <extracomment>data source cifar10</extracomment>
      <source>CIFAR-10</source>
      <translation>CIFAR-10</translation>
    </message>
    <message>
      <extracomment>data source cifar10</extracomment>
      <source>60,000 colour photos, 32x32, 10 classes.</source>
      <translation>60,000 张彩色照片，32x32，10 个类别。</translation>
    </message>
    <message>
      <extracomment>data source cifar100</extracomment>
      <source>CIFAR-100</source>
      <translation>CIFAR-100</translation>
    </message>
    <message>
      <extracomment>data source cifar100</extracomment>
      <source>60,000 colour photos, 32x32, 100 classes.</source>
      <translation>60,000 张彩色照片，32x32，100 个类别。</translation>
    </message>
    <message>
      <extracomment>data source svhn</extracomment>
      <source>SVHN</source>
      <translation>SVHN</translation>
    </message>
    <message>
      <extracomment>data source svhn</extracomment>
      <source>99,289 house-number digits from Street View, 32x32 colour, 10 classes.</source>
      <translation>99,289 个来自街景的门牌号数字，32x32 彩色，10 个类别。</translation>
    </message>
    <message>
      <extracomment>data source idx</extracomment>
      <source>IDX folder</source>
      <translation>IDX 文件夹</translation>
    </message>
    <message>
      <extracomment>data source idx</extracomment>
      <source>A folder of MNIST-format IDX files (.gz or raw).</source>
      <translation>包含 MNIST 格式 IDX 文件（.gz 或未压缩）的文件夹。</translation>
    </message>
    <message>
      <extracomment>data source folder</extracomment>
      <source>Image folder</source>
      <translation>图像文件夹</translation>
    </message>
    <message>
      <extracomment>data source folder</extracomment>
      <source>One subfolder of images per class, or train/ and test/ folders of them.</source>
      <translation>每个类别一个图像子文件夹，或者包含这种结构的 train/ 和 test/ 文件夹。</translation>
    </message>
    <message>
      <extracomment>data source csv</extracomment>
      <source>CSV table</source>
      <translation>CSV 表格</translation>
    </message>
    <message>
      <extracomment>data source csv</extracomment>
      <source>Numeric feature columns and a label column.</source>
      <translation>数值特征列和一个标签列。</translation>
    </message>
    <message>
      <extracomment>data source textcsv</extracomment>
      <source>Text CSV</source>
      <translation>文本 CSV</translation>
    </message>
    <message>
      <extracomment>data source textcsv</extracomment>
      <source>A text column and a label column, for text classification.</source>
      <translation>一个文本列和一个标签列，用于文本分类。</translation>
    </message>
    <message>
      <extracomment>data source text</extracomment>
      <source>Plain text</source>
      <translation>纯文本</translation>
    </message>
    <message>
      <extracomment>data source text</extracomment>
      <source>Any text file, for next-character prediction.</source>
      <translation>任意文本文件，用于预测下一个字符。</translation>
    </message>
    <message>
      <extracomment>data source seq:parity</extracomment>
      <source>Sequence: Parity</source>
      <translation>序列：奇偶性</translation>
    </message>
    <message>
      <extracomment>data source seq:parity</extracomment>
      <source>Bit strings of 16 tokens; is the number of ones even or odd?</source>
      <translation>16 个词元的比特串：其中 1 的个数是偶数还是奇数？</translation>
    </message>
    <message>
      <extracomment>data source seq:sum-sign</extracomment>
      <source>Sequence: Sum sign</source>
      <translation>序列：和的符号</translation>
    </message>
    <message>
      <extracomment>data source seq:sum-sign</extracomment>
      <source>Sequences of 20 random numbers; is their sum positive?</source>
      <translation>20 个随机数组成的序列：它们的和是否为正？</translation>
    </message>
    <message>
      <extracomment>data source seq:trend</extracomment>
      <source>Sequence: Trend</source>
      <translation>序列：趋势</translation>
    </message>
    <message>
      <extracomment>data source seq:trend</extracomment>
      <source>Noisy 2-feature series of 32 steps: going down, flat or up?</source>
      <translation>32 步的含噪双特征序列：下降、持平还是上升？</translation>
    </message>
    <message>
      <extracomment>data source seq:copy</extracomment>
      <source>Sequence: Copy</source>
      <translation>序列：复制</translation>
    </message>
    <message>
      <extracomment>data source seq:copy</extracomment>
      <source>Next token: 8 symbols, a separator, then the same 8 again.</source>
      <translation>下一个词元：8 个符号、一个分隔符，然后重复这 8 个符号。</translation>
    </message>
    <message>
      <extracomment>data source seq:reverse</extracomment>
      <source>Sequence: Reverse</source>
      <translation>序列：反转</translation>
    </message>
    <message>
      <extracomment>data source seq:reverse</extracomment>
      <source>Next token: 8 symbols, a separator, then them reversed.</source>
      <translation>下一个词元：8 个符号、一个分隔符，然后是它们的倒序。</translation>
    </message>
  </context>
  <context>
    <name>settings</name>
    <message>
      <extracomment>epochs: label</extracomment>
      <source>Epochs</source>
      <translation>训练轮数</translation>
    </message>
    <message>
      <extracomment>epochs: help</extracomment>
      <source>Passes over the training data</source>
      <translation>遍历训练数据的次数（轮次）</translation>
    </message>
    <message>
      <extracomment>batch_size: label</extracomment>
      <source>Batch size</source>
      <translation>批大小</translation>
    </message>
    <message>
      <extracomment>batch_size: help</extracomment>
      <source>Samples per step; the Summary's memory estimate follows it</source>
      <translation>每步的样本数；“摘要”中的内存估计会随之变化</translation>
    </message>
    <message>
      <extracomment>seed: label</extracomment>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <extracomment>seed: help</extracomment>
      <source>The same seed gives the same splits, initial weights and batch order</source>
      <translation>相同的种子会得到相同的数据划分、初始权重和批次顺序</translation>
    </message>
    <message>
      <extracomment>optimizer: label</extracomment>
      <source>Optimizer</source>
      <translation>优化器</translation>
    </message>
    <message>
      <extracomment>optimizer: help</extracomment>
      <source>How the weights are updated from their gradients</source>
      <translation>如何根据梯度更新权重</translation>
    </message>
    <message>
      <extracomment>optimizer: a choice</extracomment>
      <source>Adam</source>
      <translation>Adam</translation>
    </message>
    <message>
      <extracomment>optimizer: a choice</extracomment>
      <source>AdamW</source>
      <translation>AdamW</translation>
    </message>
    <message>
      <extracomment>optimizer: a choice</extracomment>
      <source>SGD</source>
      <translation>SGD</translation>
    </message>
    <message>
      <extracomment>optimizer: a choice</extracomment>
      <source>RMSprop</source>
      <translation>RMSprop</translation>
    </message>
    <message>
      <extracomment>lr: label</extracomment>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <extracomment>lr: help</extracomment>
      <source>How big each update step is (the peak, with a schedule)</source>
      <translation>每次更新的步长（使用调度时为峰值）</translation>
    </message>
    <message>
      <extracomment>momentum: label</extracomment>
      <source>Momentum</source>
      <translation>动量</translation>
    </message>
    <message>
      <extracomment>momentum: help</extracomment>
      <source>Share of the previous update carried into the next</source>
      <translation>上一次更新带入下一次更新的比例</translation>
    </message>
    <message>
      <extracomment>nesterov: label</extracomment>
      <source>Nesterov momentum</source>
      <translation>Nesterov 动量</translation>
    </message>
    <message>
      <extracomment>nesterov: help</extracomment>
      <source>Look-ahead momentum (with a momentum above 0)</source>
      <translation>前瞻动量（动量大于 0 时有效）</translation>
    </message>
    <message>
      <extracomment>weight_decay: label</extracomment>
      <source>Weight decay</source>
      <translation>权重衰减</translation>
    </message>
    <message>
      <extracomment>weight_decay: help</extracomment>
      <source>L2 penalty on the weights (decoupled for AdamW); 0 turns it off</source>
      <translation>对权重的 L2 惩罚（AdamW 中为解耦形式）；0 表示关闭</translation>
    </message>
    <message>
      <extracomment>weight_decay: what 0 means</extracomment>
      <source>off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <extracomment>grad_clip: label</extracomment>
      <source>Gradient clipping (norm)</source>
      <translation>梯度裁剪（范数）</translation>
    </message>
    <message>
      <extracomment>grad_clip: short label</extracomment>
      <source>Gradient clipping</source>
      <translation>梯度裁剪</translation>
    </message>
    <message>
      <extracomment>grad_clip: help</extracomment>
      <source>Largest gradient norm a step may use; 0 turns clipping off</source>
      <translation>每一步允许的最大梯度范数；0 表示不裁剪</translation>
    </message>
    <message>
      <extracomment>schedule: label</extracomment>
      <source>Schedule</source>
      <translation>学习率调度</translation>
    </message>
    <message>
      <extracomment>schedule: help</extracomment>
      <source>How the learning rate changes during training</source>
      <translation>训练过程中学习率如何变化</translation>
    </message>
    <message>
      <extracomment>schedule: a choice</extracomment>
      <source>Constant</source>
      <translation>恒定</translation>
    </message>
    <message>
      <extracomment>schedule: a choice</extracomment>
      <source>Step decay</source>
      <translation>阶梯衰减</translation>
    </message>
    <message>
      <extracomment>schedule: a choice</extracomment>
      <source>Cosine</source>
      <translation>余弦</translation>
    </message>
    <message>
      <extracomment>schedule: a choice</extracomment>
      <source>One-cycle</source>
      <translation>单周期</translation>
    </message>
    <message>
      <extracomment>warmup_epochs: label</extracomment>
      <source>Warm-up (epochs)</source>
      <translation>预热（轮）</translation>
    </message>
    <message>
      <extracomment>warmup_epochs: help</extracomment>
      <source>Linear warm-up of the learning rate before the schedule, in (fractional) epochs; for one-cycle, the length of its rising phase</source>
      <translation>在调度之前对学习率进行线性预热，单位为轮（可为小数）；对单周期调度，是其上升阶段的长度</translation>
    </message>
    <message>
      <extracomment>step_size: label</extracomment>
      <source>Step schedule: epochs per decay</source>
      <translation>阶梯调度：每次衰减间隔的轮数</translation>
    </message>
    <message>
      <extracomment>step_size: short label</extracomment>
      <source>Epochs per decay</source>
      <translation>衰减间隔（轮）</translation>
    </message>
    <message>
      <extracomment>step_size: help</extracomment>
      <source>Epochs between two decays of the learning rate</source>
      <translation>学习率两次衰减之间的轮数</translation>
    </message>
    <message>
      <extracomment>gamma: label</extracomment>
      <source>Step schedule: decay factor</source>
      <translation>阶梯调度：衰减系数</translation>
    </message>
    <message>
      <extracomment>gamma: short label</extracomment>
      <source>Decay factor</source>
      <translation>衰减系数</translation>
    </message>
    <message>
      <extracomment>gamma: help</extracomment>
      <source>The learning rate is multiplied by this at each decay</source>
      <translation>每次衰减时学习率乘以该值</translation>
    </message>
    <message>
      <extracomment>loss: label</extracomment>
      <source>Loss</source>
      <translation>损失</translation>
    </message>
    <message>
      <extracomment>loss: help</extracomment>
      <source>Automatic: cross-entropy for classification, mean squared error for regression</source>
      <translation>自动：分类使用交叉熵，回归使用均方误差</translation>
    </message>
    <message>
      <extracomment>loss: a choice</extracomment>
      <source>Automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <extracomment>loss: a choice</extracomment>
      <source>Cross-entropy</source>
      <translation>交叉熵</translation>
    </message>
    <message>
      <extracomment>loss: a choice</extracomment>
      <source>Mean squared error</source>
      <translation>均方误差</translation>
    </message>
    <message>
      <extracomment>loss: a choice</extracomment>
      <source>Binary cross-entropy</source>
      <translation>二元交叉熵</translation>
    </message>
    <message>
      <extracomment>label_smoothing: label</extracomment>
      <source>Label smoothing</source>
      <translation>标签平滑</translation>
    </message>
    <message>
      <extracomment>label_smoothing: help</extracomment>
      <source>Share of each target's probability spread over the other classes (classification)</source>
      <translation>每个目标的概率中分给其他类别的比例（分类）</translation>
    </message>
    <message>
      <extracomment>early_stopping: label</extracomment>
      <source>Early stopping</source>
      <translation>早停</translation>
    </message>
    <message>
      <extracomment>early_stopping: short label</extracomment>
      <source>Stop early</source>
      <translation>提前停止</translation>
    </message>
    <message>
      <extracomment>early_stopping: help</extracomment>
      <source>Stop when the watched figure has not improved for 'patience' epochs</source>
      <translation>监控指标连续“耐心”轮没有改善时停止训练</translation>
    </message>
    <message>
      <extracomment>patience: label</extracomment>
      <source>Patience (epochs)</source>
      <translation>耐心（轮）</translation>
    </message>
    <message>
      <extracomment>patience: help</extracomment>
      <source>Epochs without improvement before early stopping</source>
      <translation>早停前允许没有改善的轮数</translation>
    </message>
    <message>
      <extracomment>monitor: label</extracomment>
      <source>Monitor (best checkpoint, early stopping)</source>
      <translation>监控指标（最佳检查点、早停）</translation>
    </message>
    <message>
      <extracomment>monitor: short label</extracomment>
      <source>Watch</source>
      <translation>监控</translation>
    </message>
    <message>
      <extracomment>monitor: help</extracomment>
      <source>The figure that picks the best checkpoint and that early stopping watches</source>
      <translation>用于选出最佳检查点、并由早停监控的指标</translation>
    </message>
    <message>
      <extracomment>monitor: a choice</extracomment>
      <source>Validation loss</source>
      <translation>验证损失</translation>
    </message>
    <message>
      <extracomment>monitor: a choice</extracomment>
      <source>Validation accuracy</source>
      <translation>验证准确率</translation>
    </message>
    <message>
      <extracomment>augment: label</extracomment>
      <source>Augment images</source>
      <translation>图像增强</translation>
    </message>
    <message>
      <extracomment>augment: short label</extracomment>
      <source>Augment training images</source>
      <translation>增强训练图像</translation>
    </message>
    <message>
      <extracomment>augment: help</extracomment>
      <source>Random changes to the training images each epoch (image data only)</source>
      <translation>每轮对训练图像做随机变换（仅限图像数据）</translation>
    </message>
    <message>
      <extracomment>rotation: label</extracomment>
      <source>Augment: rotation (degrees)</source>
      <translation>增强：旋转（度）</translation>
    </message>
    <message>
      <extracomment>rotation: short label</extracomment>
      <source>Rotation (degrees)</source>
      <translation>旋转（度）</translation>
    </message>
    <message>
      <extracomment>rotation: help</extracomment>
      <source>Rotate by up to this many degrees either way; 0 turns it off</source>
      <translation>向两个方向最多旋转这么多度；0 表示关闭</translation>
    </message>
    <message>
      <extracomment>scale: label</extracomment>
      <source>Augment: scale (+-)</source>
      <translation>增强：缩放（±）</translation>
    </message>
    <message>
      <extracomment>scale: short label</extracomment>
      <source>Scale (±)</source>
      <translation>缩放（±）</translation>
    </message>
    <message>
      <extracomment>scale: help</extracomment>
      <source>Zoom by a factor between 1 - scale and 1 + scale; 0 turns it off</source>
      <translation>按 1 − s 到 1 + s 之间的系数缩放（s 为此值）；0 表示关闭</translation>
    </message>
    <message>
      <extracomment>crop_padding: label</extracomment>
      <source>Augment: shift (pixels)</source>
      <translation>增强：平移（像素）</translation>
    </message>
    <message>
      <extracomment>crop_padding: short label</extracomment>
      <source>Shift (pixels)</source>
      <translation>平移（像素）</translation>
    </message>
    <message>
      <extracomment>crop_padding: help</extracomment>
      <source>Shift by up to this many whole pixels; 0 turns it off</source>
      <translation>最多平移这么多个整像素；0 表示关闭</translation>
    </message>
    <message>
      <extracomment>hflip: label</extracomment>
      <source>Augment: horizontal flip</source>
      <translation>增强：水平翻转</translation>
    </message>
    <message>
      <extracomment>hflip: short label</extracomment>
      <source>Mirror left-right</source>
      <translation>左右镜像</translation>
    </message>
    <message>
      <extracomment>hflip: help</extracomment>
      <source>Mirror half of the images (not for digits or text)</source>
      <translation>镜像一半的图像（不适用于数字或文字）</translation>
    </message>
    <message>
      <extracomment>unfreeze_after: label</extracomment>
      <source>Unfreeze frozen layers after (epochs)</source>
      <translation>在若干轮后解冻冻结的层</translation>
    </message>
    <message>
      <extracomment>unfreeze_after: short label</extracomment>
      <source>Unfreeze after (epochs)</source>
      <translation>解冻时机（轮）</translation>
    </message>
    <message>
      <extracomment>unfreeze_after: help</extracomment>
      <source>Gradual unfreezing: frozen layers train too from this epoch on; 0 keeps them frozen</source>
      <translation>逐步解冻：从这一轮起冻结的层也参与训练；0 表示始终冻结</translation>
    </message>
    <message>
      <extracomment>unfreeze_after: what 0 means</extracomment>
      <source>never</source>
      <translation>从不</translation>
    </message>
    <message>
      <extracomment>head_lr_multiplier: label</extracomment>
      <source>Head learning-rate multiplier</source>
      <translation>输出头学习率倍数</translation>
    </message>
    <message>
      <extracomment>head_lr_multiplier: short label</extracomment>
      <source>Head learning rate (x)</source>
      <translation>输出头学习率（倍）</translation>
    </message>
    <message>
      <extracomment>head_lr_multiplier: help</extracomment>
      <source>The head (the last layer with weights) learns this many times faster than the body, e.g. 10 for a new head on pre-trained layers</source>
      <translation>输出头（最后一个带权重的层）的学习速度是主体的这么多倍，例如在预训练层上接新输出头时取 10</translation>
    </message>
    <message>
      <extracomment>gan_loss: label</extracomment>
      <source>GAN loss</source>
      <translation>GAN 损失</translation>
    </message>
    <message>
      <extracomment>gan_loss: help</extracomment>
      <source>How the two networks score each other: the non-saturating logistic loss of the original GAN, the hinge loss, or WGAN-GP's critic with a gradient penalty</source>
      <translation>两个网络互相评分的方式：原始 GAN 的非饱和逻辑损失、合页损失，或带梯度惩罚的 WGAN-GP 评论器</translation>
    </message>
    <message>
      <extracomment>gan_loss: a choice</extracomment>
      <source>Non-saturating</source>
      <translation>非饱和</translation>
    </message>
    <message>
      <extracomment>gan_loss: a choice</extracomment>
      <source>Hinge</source>
      <translation>合页损失</translation>
    </message>
    <message>
      <extracomment>gan_loss: a choice</extracomment>
      <source>Wasserstein (gradient penalty)</source>
      <translation>Wasserstein（梯度惩罚）</translation>
    </message>
    <message>
      <extracomment>g_lr: label</extracomment>
      <source>Generator learning rate</source>
      <translation>生成器学习率</translation>
    </message>
    <message>
      <extracomment>g_lr: help</extracomment>
      <source>Adam's step size for the generator (GANs only)</source>
      <translation>生成器的 Adam 步长（仅用于 GAN）</translation>
    </message>
    <message>
      <extracomment>d_lr: label</extracomment>
      <source>Discriminator learning rate</source>
      <translation>判别器学习率</translation>
    </message>
    <message>
      <extracomment>d_lr: help</extracomment>
      <source>Adam's step size for the discriminator (GANs only)</source>
      <translation>判别器的 Adam 步长（仅用于 GAN）</translation>
    </message>
    <message>
      <extracomment>beta1: label</extracomment>
      <source>Adam beta1 (GAN)</source>
      <translation>Adam beta1（GAN）</translation>
    </message>
    <message>
      <extracomment>beta1: short label</extracomment>
      <source>Adam beta1</source>
      <translation>Adam beta1</translation>
    </message>
    <message>
      <extracomment>beta1: help</extracomment>
      <source>Momentum of both GAN optimizers; 0.5 is DCGAN's choice, 0 is usual for WGAN-GP</source>
      <translation>两个 GAN 优化器的动量；DCGAN 采用 0.5，WGAN-GP 通常为 0</translation>
    </message>
    <message>
      <extracomment>beta2: label</extracomment>
      <source>Adam beta2 (GAN)</source>
      <translation>Adam beta2（GAN）</translation>
    </message>
    <message>
      <extracomment>beta2: short label</extracomment>
      <source>Adam beta2</source>
      <translation>Adam beta2</translation>
    </message>
    <message>
      <extracomment>beta2: help</extracomment>
      <source>Decay of the squared-gradient average of both GAN optimizers</source>
      <translation>两个 GAN 优化器的梯度平方均值的衰减率</translation>
    </message>
    <message>
      <extracomment>d_steps: label</extracomment>
      <source>Discriminator steps per generator step</source>
      <translation>每个生成器步对应的判别器步数</translation>
    </message>
    <message>
      <extracomment>d_steps: short label</extracomment>
      <source>D steps per G step</source>
      <translation>每步 G 对应的 D 步数</translation>
    </message>
    <message>
      <extracomment>d_steps: help</extracomment>
      <source>Discriminator updates before each generator update (5 is usual for WGAN-GP)</source>
      <translation>每次更新生成器前更新判别器的次数（WGAN-GP 通常为 5）</translation>
    </message>
    <message>
      <extracomment>gp_weight: label</extracomment>
      <source>Gradient penalty weight</source>
      <translation>梯度惩罚权重</translation>
    </message>
    <message>
      <extracomment>gp_weight: help</extracomment>
      <source>Weight of WGAN-GP's penalty on the critic's gradient norm</source>
      <translation>WGAN-GP 对评论器梯度范数的惩罚权重</translation>
    </message>
    <message>
      <extracomment>gan_quality: label</extracomment>
      <source>GAN quality figure</source>
      <translation>GAN 质量指标</translation>
    </message>
    <message>
      <extracomment>gan_quality: short label</extracomment>
      <source>Score samples at the end</source>
      <translation>结束时为样本打分</translation>
    </message>
    <message>
      <extracomment>gan_quality: help</extracomment>
      <source>At the end, a classifier trained on the same real data (once, then cached) scores 1,000 samples: the share it recognises with confidence &gt;= 0.9 and the classes present (an Inception-score-like figure)</source>
      <translation>训练结束时，用在同一真实数据上训练的分类器（只训练一次，之后缓存）为 1,000 个样本打分：给出以 &gt;= 0.9 的置信度识别出的比例和出现的类别（类似 Inception 分数的指标）</translation>
    </message>
    <message>
      <extracomment>device: label</extracomment>
      <source>Device</source>
      <translation>设备</translation>
    </message>
    <message>
      <extracomment>device: help</extracomment>
      <source>Where to train: auto (the fastest: CUDA, MPS, else the CPU), cpu, cuda, cuda:1, mps</source>
      <translation>在哪里训练：auto（最快的：CUDA、MPS，否则 CPU）、cpu、cuda、cuda:1、mps</translation>
    </message>
    <message>
      <extracomment>precision: label</extracomment>
      <source>Precision</source>
      <translation>数值精度</translation>
    </message>
    <message>
      <extracomment>precision: help</extracomment>
      <source>Automatic: bf16 autocast on CUDA where supported, else fp16 with a gradient scaler; fp32 on the CPU</source>
      <translation>自动：在支持的 CUDA 上使用 bf16 autocast，否则使用带梯度缩放的 fp16；CPU 上使用 fp32</translation>
    </message>
    <message>
      <extracomment>precision: a choice</extracomment>
      <source>fp32</source>
      <translation>fp32</translation>
    </message>
    <message>
      <extracomment>precision: a choice</extracomment>
      <source>bf16 (mixed)</source>
      <translation>bf16（混合精度）</translation>
    </message>
    <message>
      <extracomment>precision: a choice</extracomment>
      <source>fp16 (mixed)</source>
      <translation>fp16（混合精度）</translation>
    </message>
    <message>
      <extracomment>channels_last: label</extracomment>
      <source>Channels-last (CUDA)</source>
      <translation>通道在后（CUDA）</translation>
    </message>
    <message>
      <extracomment>channels_last: short label</extracomment>
      <source>Channels-last layout (CUDA)</source>
      <translation>通道在后的内存布局（CUDA）</translation>
    </message>
    <message>
      <extracomment>channels_last: help</extracomment>
      <source>Faster convolutions on CUDA; ignored elsewhere</source>
      <translation>在 CUDA 上卷积更快；其他设备上忽略</translation>
    </message>
    <message>
      <extracomment>compile: label</extracomment>
      <source>torch.compile</source>
      <translation>torch.compile</translation>
    </message>
    <message>
      <extracomment>compile: short label</extracomment>
      <source>Compile the model (torch.compile)</source>
      <translation>编译模型（torch.compile）</translation>
    </message>
    <message>
      <extracomment>compile: help</extracomment>
      <source>Faster steps on a GPU after a slow first step</source>
      <translation>在 GPU 上第一步较慢，之后各步更快</translation>
    </message>
    <message>
      <extracomment>num_workers: label</extracomment>
      <source>Data loader workers</source>
      <translation>数据加载进程数</translation>
    </message>
    <message>
      <extracomment>num_workers: help</extracomment>
      <source>Worker processes for streamed (large) data sets; small ones live on the device whole</source>
      <translation>用于流式读取（大型）数据集的工作进程数；小数据集会整体放在设备上</translation>
    </message>
    <message>
      <extracomment>nproc: label</extracomment>
      <source>Processes (devices)</source>
      <translation>进程数（设备数）</translation>
    </message>
    <message>
      <extracomment>nproc: short label</extracomment>
      <source>Processes / GPUs</source>
      <translation>进程数 / GPU 数</translation>
    </message>
    <message>
      <extracomment>nproc: help</extracomment>
      <source>Train data-parallel on this many processes: one per GPU (all GPUs when it equals their count) or, on the CPU, this many processes; the batch size is the global one, split between them</source>
      <translation>用这么多个进程进行数据并行训练：每个 GPU 一个进程（等于 GPU 数时使用全部 GPU），或在 CPU 上启动这么多个进程；批大小是全局批大小，在各进程间分配</translation>
    </message>
    <message>
      <extracomment>sharding: label</extracomment>
      <source>Sharding</source>
      <translation>分片</translation>
    </message>
    <message>
      <extracomment>sharding: help</extracomment>
      <source>With several processes: FSDP (fully_shard) splits the weights, gradients and optimizer state of each Transformer block between them, for models that do not fit one device</source>
      <translation>多个进程时：FSDP（fully_shard）将每个 Transformer 块的权重、梯度和优化器状态分到各进程，用于单个设备放不下的模型</translation>
    </message>
    <message>
      <extracomment>sharding: a choice</extracomment>
      <source>None (each process holds the whole model)</source>
      <translation>无（每个进程持有整个模型）</translation>
    </message>
    <message>
      <extracomment>sharding: a choice</extracomment>
      <source>FSDP (shard weights, gradients, optimizer state)</source>
      <translation>FSDP（分片权重、梯度和优化器状态）</translation>
    </message>
    <message>
      <extracomment>settings group</extracomment>
      <source>Run</source>
      <translation>训练</translation>
    </message>
    <message>
      <extracomment>settings group</extracomment>
      <source>Augmentation</source>
      <translation>数据增强</translation>
    </message>
    <message>
      <extracomment>settings group</extracomment>
      <source>Fine-tuning</source>
      <translation>微调</translation>
    </message>
    <message>
      <extracomment>settings group</extracomment>
      <source>GAN</source>
      <translation>GAN</translation>
    </message>
    <message>
      <extracomment>settings group</extracomment>
      <source>Hardware</source>
      <translation>硬件</translation>
    </message>
  </context>
</TS>
