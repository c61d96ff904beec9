pub async fn placeholder(){}
