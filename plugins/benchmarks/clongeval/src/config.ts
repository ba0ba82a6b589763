/** config/dataset2prompt.json, dataset2maxlen.json, dataset2path.json @ 81ba789, in file order: [dataset, prompt (positional {} as shipped), max_tokens, data dir]. */
export const DATASET_CONFIG = [
  ["long_story_qa", "下面是一部小说的节选。请阅读该小说节选，并尽可能用简洁的短语（或短句）回答给定的问题，不要提供任何解释。\n小说节选如下：\n\n{}\n\n请尽可能简洁地回答下列问题，不要提供任何解释。\n问题：{}\n答案：", 100, "1-1_long_story_qa"],
  ["long_conversation_memory", "你是一个具有聊天陪伴功能的ai伴侣。下面是用户和你的对话记录, 请你阅读对话记录后尽可能简洁地回答问题，不要提供任何解释。对话记录由多天的对话组成：\n\n{}{}\n答案：", 100, "1-2_long_conversation_memory"],
  ["long_story_summarization", "下面是一个小说节选，请你阅读后写出相应的摘要，不要输出其他任何内容。\n小说节选如下：\n\n{}\n\n摘要：", 400, "2-1_long_story_summarization"],
  ["stacked_news_labeling", "下面是一个新闻列表。每个新闻属于【体育，娱乐，家居，房产，教育，时政，游戏，科技，财经】这九个类别的某一个类别。请按顺序判断并输出每个新闻的所属类别，输出格式为：\n新闻1，类别名1\n新闻2，类别名2\n......\n新闻N，类别名N\n\n新闻如下：\n\n{}\n\n每个新闻的所属类别依次为：\n", 800, "3-1_stacked_news_labeling"],
  ["stacked_typo_detection", "下面是一部小说的多个段落，每个段落包含段落ID以及段落内容。有些段落中不存在错别字，有些段落有且仅有一个错别字，该错别字与原来的正确汉字同音。请按照段落顺序输出错别字，输出格式为：段落ID，错别字，正确字。不同段落ID用换行符隔开。例如，一个示例输出是\"4，蚔，奇\n8，鎌，连\"。该示例输出中的第一行表示在ID为4的段落中，错别字为蚔，正确字应为奇；第二行表示在ID为8的段落中，错别字为鎌，正确字应为连。小说的多个段落如下：\n\n{}\n\n所有的错别字为：\n", 800, "3-2_stacked_typo_detection"],
  ["key_passage_retrieval", "请提取下面 JSON 对象中指定键对应的值。只输出对应键的值，不输出任何其他文字。Json数据如下：\n\n{}\n\n键：{}\n值：", 400, "4-1_key_passage_retrieval"],
  ["table_querying", "请根据下列多个表格的内容回答给定问题，表格为Markdown格式。请直接返回问题的答案，除此之外不要输出其他内容。表格如下：\n\n{}。\n\n问题：{}\n答案：", 50, "4-2_table_querying"],
] as const;
